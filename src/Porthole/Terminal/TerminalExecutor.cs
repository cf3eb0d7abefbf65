using Porthole.Clusters;
using Porthole.Hosting;
using Porthole.Storage;

namespace Porthole.Terminal;

/// <summary>What to open: a container, as a user, at a size; <see cref="Command"/> null means a shell.</summary>
public sealed record TerminalStart(
    string Cluster, TerminalUser User, string Namespace, string Pod, string Container, IReadOnlyList<string>? Command, int Cols, int Rows, string RecordingId);

/// <summary>The exec could not start; <see cref="Status"/> is the HTTP-like status of the cause (401, 403, 404, 502, 503, 504).</summary>
public sealed class TerminalStartException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// Opens terminals, for the kubecube SockJS endpoint and the hub's terminal channels alike:
/// exec as the user (never as the server), tty on, v5 with v4 fallback. The pod and container
/// are first checked as the user (<see cref="ShellAccess"/>: a missing pod is a 404, not a failed
/// handshake). Without an explicit command it tries <see cref="Shells"/> in order (bash, sh,
/// then powershell and cmd for Windows images): each attempt's output is held back until the
/// exec has proven itself (its status did not arrive within <see cref="HoldWindow"/>, or
/// <see cref="HoldAfterOutput"/> after its first output), so a missing shell leaves no trace.
/// Each terminal is audited and recorded as asciicast v2 in the store, so none starts while the
/// store is unavailable (503).
/// </summary>
public sealed partial class TerminalExecutor(TerminalClusterAccess clusters, TerminalRecordings recordings, AuditLog audit, PortholeOptions options, TimeProvider time, ILogger<TerminalExecutor> logger)
{
    public static readonly IReadOnlyList<IReadOnlyList<string>> Shells = [["bash"], ["sh"], ["powershell"], ["cmd"]];

    public TimeSpan HoldWindow { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan HoldAfterOutput { get; init; } = TimeSpan.FromMilliseconds(250);

    public async Task<TerminalSession> StartAsync(TerminalStart start, CancellationToken ct)
    {
        if (!TerminalRecordings.IsValidId(start.RecordingId))
        {
            throw new ArgumentException("a recording id is 32 lowercase hex digits", nameof(start));
        }

        var cluster = clusters.Find(start.Cluster) ?? throw new TerminalStartException(404, $"cluster {start.Cluster} not found");
        try
        {
            audit.EnsureCanRecord("terminal");
        }
        catch (StoreUnavailableException e)
        {
            throw new TerminalStartException(503, "porthole's store is unavailable (terminals are audited and recorded); try again shortly: " + e.Message);
        }

        if (cluster.Circuit == Polly.CircuitBreaker.CircuitState.Open)
        {
            // The exec WebSocket cannot go through the breaker's pipeline, but it respects it.
            throw new TerminalStartException(503, $"cluster {start.Cluster} is unavailable (circuit open); try again shortly");
        }

        if (await ShellAccess.CheckAsync(cluster, start.User, start.Namespace, start.Pod, start.Container, ct) is { } refused)
        {
            throw new TerminalStartException(refused.Status, refused.Message);
        }

        return await StartAsync(cluster, start, ct);
    }

    private async Task<TerminalSession> StartAsync(Cluster cluster, TerminalStart start, CancellationToken ct)
    {
        var candidates = start.Command is { } command ? [command] : Shells;
        for (var i = 0; i < candidates.Count; i++)
        {
            var attempt = await ConnectAsync(cluster, start, candidates[i], ct);
            await attempt.ResizeAsync(start.Cols, start.Rows, ct);
            var held = new List<byte[]>();
            if (i < candidates.Count - 1 && await ProbeAsync(attempt, held, ct) is { ExecutableMissing: true } status)
            {
                LogFallback(logger, candidates[i][0], start.Namespace, start.Pod, start.Container, status.Message);
                await attempt.DisposeAsync();
                continue;
            }

            var recorder = await recordings.StartAsync(start, ct);
            LogStarted(logger, start.User.Name, start.Cluster, start.Namespace, start.Pod, start.Container, candidates[i][0], attempt.SubProtocol);
            return new TerminalSession(attempt, candidates[i], held, recorder, start.RecordingId, time, new TerminalLimits(options.TerminalLifetime, options.TerminalIdleTimeout));
        }

        throw new TerminalStartException(502, "no shell found in the container (tried " + string.Join(", ", candidates.Select(c => c[0])) + ")");
    }

    private static async Task<ExecAttempt> ConnectAsync(Cluster cluster, TerminalStart start, IReadOnlyList<string> command, CancellationToken ct)
    {
        try
        {
            return await ExecAttempt.ConnectAsync(cluster, start.User.Credential, start.Namespace, start.Pod, start.Container, command, ct);
        }
        catch (KubeUpgradeException e)
        {
            var status = (int)e.Status;
            throw new TerminalStartException(status is 401 or 403 or 404 ? status : 502, StatusMessage(e.Body) ?? e.Message);
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or HttpRequestException)
        {
            throw new TerminalStartException(502, "cannot reach the cluster: " + e.Message);
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException)
        {
            throw new TerminalStartException(503, $"cluster {start.Cluster} is unavailable (circuit open); try again shortly");
        }
    }

    /// <summary>The <c>message</c> of a metav1.Status body, or null.</summary>
    internal static string? StatusMessage(string? body)
    {
        try
        {
            return body is { Length: > 0 } && System.Text.Json.JsonDocument.Parse(body).RootElement is { ValueKind: System.Text.Json.JsonValueKind.Object } root
                && root.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text ? text : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads the first attempt's frames into <paramref name="held"/> until its status arrives
    /// (returned) or it proves itself (null): the hold window passed, or output came and no
    /// status followed it quickly.
    /// </summary>
    private async Task<ExecStatus?> ProbeAsync(ExecAttempt attempt, List<byte[]> held, CancellationToken ct)
    {
        using var window = new CancellationTokenSource(HoldWindow, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(window.Token, ct);
        try
        {
            while (await attempt.Frames.WaitToReadAsync(linked.Token))
            {
                if (!attempt.Frames.TryPeek(out var frame))
                {
                    continue;
                }

                if (frame.Status is { } status)
                {
                    return status;
                }

                attempt.Frames.TryRead(out _);
                held.Add(frame.Output!);
                if (held.Count == 1)
                {
                    window.CancelAfter(HoldAfterOutput);
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // It proved itself.
        }

        return null;
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Terminal for {User} in {Cluster}/{Namespace}/{Pod}/{Container}: {Shell} over {SubProtocol}")]
    private static partial void LogStarted(ILogger logger, string user, string cluster, string @namespace, string pod, string container, string shell, string subProtocol);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "No {Shell} in {Namespace}/{Pod}/{Container}, trying the next shell: {Reason}")]
    private static partial void LogFallback(ILogger logger, string shell, string @namespace, string pod, string container, string reason);
}
