using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Porthole.Hosting;
using Porthole.Storage;

namespace Porthole.Terminal;

/// <summary>
/// Terminal recordings, one asciicast per terminal, named by its recording id (32 hex digits),
/// kept in the store (index and bytes), so any replica reads one written on another. Who made
/// one comes from the index (older recordings: the audit entry, and the file under
/// {dataDir}/recordings that Porthole wrote before recordings moved into the store).
/// </summary>
public sealed partial class TerminalRecordings(PortholeOptions options, PortholeStore store, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<TerminalRecordings> logger)
{
    private readonly ConcurrentDictionary<string, AsciicastRecorder> _running = new(StringComparer.Ordinal);

    /// <summary>Where recordings were files before they moved into the store (read only).</summary>
    public string LegacyDirectory => Path.Combine(options.DataDir, "recordings");

    /// <summary>A fresh recording id.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>True for what <see cref="NewId"/> makes (and kubecube shell ids): 32 lowercase hex digits, nothing a path could use.</summary>
    public static bool IsValidId(string id) => ValidId().IsMatch(id);

    /// <summary>Starts recording a terminal; null (logged) when the store cannot take it.</summary>
    internal async Task<AsciicastRecorder?> StartAsync(TerminalStart start, CancellationToken ct)
    {
        try
        {
            var recorder = await AsciicastRecorder.CreateAsync(store,
                new RecordingInfo(start.RecordingId, start.User.Name, start.Cluster, start.Namespace, start.Pod, start.Container, time.GetUtcNow()),
                start.Cols, start.Rows, $"{start.Cluster}/{start.Namespace}/{start.Pod}/{start.Container}", time, logger,
                ended => _running.TryRemove(new KeyValuePair<string, AsciicastRecorder>(ended.Id, ended)), lifetime.ApplicationStopping, ct);
            _running[start.RecordingId] = recorder;
            return recorder;
        }
        catch (StoreUnavailableException e)
        {
            LogRecordingFailed(logger, start.RecordingId, e.Message);
            return null;
        }
    }

    /// <summary>The user who made recording <paramref name="id"/>, or null when nobody is known to have.</summary>
    public Task<string?> OwnerAsync(string id, CancellationToken ct) => store.RecordingOwnerAsync(id, ct);

    /// <summary>
    /// Writes recording <paramref name="id"/> to <paramref name="body"/> (a running terminal's as far
    /// as written: this replica's running recorder is flushed first; another replica's flushes
    /// every 250 ms); false when there is none.
    /// </summary>
    public async Task<bool> CopyToAsync(string id, Func<ReadOnlyMemory<byte>, CancellationToken, Task> body, Action starting, CancellationToken ct)
    {
        if (_running.TryGetValue(id, out var running))
        {
            await running.FlushAsync(ct);
        }

        var started = false;
        if (await store.ReadRecordingAsync(id, async (chunk, t) =>
            {
                if (!started)
                {
                    starting();
                    started = true;
                }

                await body(chunk, t);
            }, ct))
        {
            if (!started)
            {
                starting();
            }

            return true;
        }

        var legacy = Path.Combine(LegacyDirectory, id + ".cast");
        if (!File.Exists(legacy))
        {
            return false;
        }

        await using var file = new FileStream(legacy, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
        starting();
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await file.ReadAsync(buffer, ct)) > 0)
        {
            await body(buffer.AsMemory(0, n), ct);
        }

        return true;
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex ValidId();

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Cannot record terminal {Id}: {Reason}")]
    private static partial void LogRecordingFailed(ILogger logger, string id, string reason);
}
