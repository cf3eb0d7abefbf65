using System.Text.Json;
using System.Threading.Channels;
using Porthole.Storage;
using Porthole.Terminal;

namespace Porthole.Hub.Channels;

/// <summary>
/// A <c>terminal:</c> channel over the shared terminal core (<see cref="TerminalExecutor"/>):
/// exec as the user with shell detection, v5 → v4, lifetime, idle timeout and asciicast recording.
/// Input and resizes are queued (the receive loop never waits on a terminal) and applied in
/// order once the exec runs; output goes out as <c>terminal_output {data}</c>, notices as
/// <c>{notice}</c>, and the end as <c>{exitCode, recording}</c>, or <c>{ended, notice, recording}</c>
/// when Porthole closed it (idle timeout, lifetime), or an <c>error</c> when the exec failed.
/// Every terminal leaves one audit entry (verb exec) with its result and recording id.
/// </summary>
internal sealed class TerminalChannel(string name, IHubOutput output, TerminalExecutor executor, AuditLog audit, TerminalStart start) : IHubChannel
{
    private readonly Channel<Func<TerminalSession, CancellationToken, Task>> _input =
        Channel.CreateBounded<Func<TerminalSession, CancellationToken, Task>>(new BoundedChannelOptions(1024) { SingleReader = true });

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        TerminalSession session;
        try
        {
            session = await executor.StartAsync(start, cancellationToken);
        }
        catch (TerminalStartException e)
        {
            Audit($"error {e.Status}", null);
            throw new HubProtocolException(e.Status switch
            {
                403 => HubErrors.Forbidden,
                404 => HubErrors.NotFound,
                401 => HubErrors.Unauthorized,
                503 => HubErrors.Unavailable,
                _ => HubErrors.Upstream,
            }, e.Message);
        }

        var result = "closed";
        var audited = false;
        await using (session)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var input = ForwardInputAsync(session, stop.Token);
            try
            {
                await foreach (var e in session.Events.ReadAllAsync(cancellationToken))
                {
                    switch (e)
                    {
                        case TerminalEvent.Output o:
                            await output.SendAsync(HubMessageTypes.TerminalOutput, name, OutputPayload(o.Data), cancellationToken);
                            break;
                        case TerminalEvent.Toast t:
                            await output.SendAsync(HubMessageTypes.TerminalOutput, name, NoticePayload(t.Message), cancellationToken);
                            break;
                        case TerminalEvent.Exited x:
                            // Audited before the client learns the end.
                            Audit($"exit {x.ExitCode}", session);
                            audited = true;
                            await output.SendAsync(HubMessageTypes.TerminalOutput, name, ExitPayload(x.ExitCode, session.RecordingId), cancellationToken);
                            return;
                        case TerminalEvent.Ended end:
                            Audit(end.Reason, session);
                            audited = true;
                            await output.SendAsync(HubMessageTypes.TerminalOutput, name, EndedPayload(end, session.RecordingId), cancellationToken);
                            return;
                        case TerminalEvent.Failed f:
                            result = "error";
                            throw new HubProtocolException("terminal_failed", f.Reason);
                    }
                }
            }
            finally
            {
                await stop.CancelAsync();
                await input.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (!audited)
                {
                    Audit(result, session);
                }
            }
        }
    }

    private void Audit(string result, TerminalSession? session)
    {
        var details = new Dictionary<string, string> { ["container"] = start.Container, ["transport"] = "hub" };
        if (session is not null)
        {
            details["command"] = string.Join(' ', session.Command);
            if (session.RecordingId is { } recording)
            {
                details["recording"] = recording;
            }
        }

        audit.Record(new AuditEntry(start.User.Name, start.Cluster, "exec", "pods/exec", start.Namespace, start.Pod, result) { Details = details });
    }

    /// <summary><c>terminal_output {data}</c></summary>
    internal static byte[] OutputPayload(string data) => HubFrame.Payload(new { data });

    /// <summary><c>terminal_output {notice}</c>: e.g. the coming end of the lifetime.</summary>
    internal static byte[] NoticePayload(string notice) => HubFrame.Payload(new { notice });

    /// <summary><c>terminal_output {exitCode, recording?}</c>: the last frame of a terminal whose process ended.</summary>
    internal static byte[] ExitPayload(int exitCode, string? recording) => HubFrame.Payload(new { exitCode, recording });

    /// <summary>
    /// <c>terminal_output {ended, notice, recording?}</c>: the last frame of a terminal Porthole
    /// closed; <c>ended</c> is <c>idle_timeout</c> or <c>lifetime</c>.
    /// </summary>
    internal static byte[] EndedPayload(TerminalEvent.Ended end, string? recording) =>
        HubFrame.Payload(new { ended = end.Reason.Replace(' ', '_'), notice = end.Message, recording });

    public ValueTask InputAsync(string type, JsonElement? payload, CancellationToken cancellationToken)
    {
        Func<TerminalSession, CancellationToken, Task> action = type switch
        {
            HubMessageTypes.TerminalInput when HubJson.Read<TerminalInput>(payload, type) is { } input =>
                (s, ct) => s.SendInputAsync(input.Data ?? "", ct),
            HubMessageTypes.TerminalResize when HubJson.Read<TerminalResize>(payload, type) is { Cols: >= 1 and <= 1000, Rows: >= 1 and <= 1000 } size =>
                (s, ct) => s.ResizeAsync(size.Cols, size.Rows, ct),
            HubMessageTypes.TerminalResize => throw new HubProtocolException(HubErrors.BadPayload, "\"cols\" and \"rows\" must be 1 to 1000"),
            _ => throw new HubProtocolException(HubErrors.UnknownType, $"{type} is not accepted on a terminal channel"),
        };
        if (!_input.Writer.TryWrite(action))
        {
            throw new HubProtocolException(HubErrors.RateLimited, "terminal input is arriving faster than the container takes it: input dropped");
        }

        return ValueTask.CompletedTask;
    }

    private async Task ForwardInputAsync(TerminalSession session, CancellationToken cancellationToken)
    {
        await foreach (var action in _input.Reader.ReadAllAsync(cancellationToken))
        {
            await action(session, cancellationToken);
        }
    }
}
