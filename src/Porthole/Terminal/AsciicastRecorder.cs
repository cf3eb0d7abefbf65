using System.Globalization;
using System.Text;
using System.Text.Json;
using Porthole.Storage;

namespace Porthole.Terminal;

/// <summary>
/// Writes a terminal's output as an asciicast v2 recording (https://docs.asciinema.org/manual/asciicast/v2/):
/// a header line, then <c>[seconds, "o", data]</c> output and <c>[seconds, "r", "COLSxROWS"]</c>
/// resize events. Input is never recorded (it carries passwords). The bytes go to the store in
/// chunks (every <see cref="FlushInterval"/>, at <see cref="ChunkBytes"/>, and at the end), so
/// every replica reads a running terminal's recording as far as it was flushed. Output never
/// waits on the database: while the store is down chunks are kept and retried, up to
/// <see cref="MaxPendingBytes"/>; beyond that the oldest unsaved output is dropped (logged).
/// </summary>
internal sealed partial class AsciicastRecorder : IAsyncDisposable
{
    public const int ChunkBytes = 64 * 1024;
    public const int MaxPendingBytes = 8 * 1024 * 1024;
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);

    private readonly PortholeStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _start;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly ITimer _timer;
    private MemoryStream _pending = new();
    private long _seq;
    private bool _dropping;

    private readonly Action<AsciicastRecorder> _ended;
    private readonly CancellationToken _stopping;
    private DateTimeOffset? _endedAt;

    private AsciicastRecorder(PortholeStore store, string id, TimeProvider time, ILogger logger, Action<AsciicastRecorder> ended, CancellationToken stopping)
    {
        _ended = ended;
        _stopping = stopping;
        _store = store;
        _time = time;
        _logger = logger;
        Id = id;
        _start = time.GetTimestamp();
        _timer = time.CreateTimer(_ => _ = FlushAsync(CancellationToken.None), null, FlushInterval, FlushInterval);
    }

    public string Id { get; }

    /// <summary>Indexes the recording in the store and writes its header (throws <see cref="StoreUnavailableException"/>).</summary>
    public static async Task<AsciicastRecorder> CreateAsync(PortholeStore store, RecordingInfo info, int cols, int rows, string title, TimeProvider time, ILogger logger,
        Action<AsciicastRecorder> ended, CancellationToken stopping, CancellationToken ct)
    {
        await store.StartRecordingAsync(info, ct);
        var recorder = new AsciicastRecorder(store, info.Id, time, logger, ended, stopping);
        recorder.Append(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["version"] = 2,
            ["width"] = cols,
            ["height"] = rows,
            ["timestamp"] = time.GetUtcNow().ToUnixTimeSeconds(),
            ["title"] = title,
            ["env"] = new Dictionary<string, string> { ["TERM"] = "xterm-256color" },
        }));
        await recorder.FlushAsync(ct);
        return recorder;
    }

    public Task OutputAsync(string data) => WriteEventAsync("o", data);

    public Task ResizeAsync(int cols, int rows) => WriteEventAsync("r", string.Create(CultureInfo.InvariantCulture, $"{cols}x{rows}"));

    private Task WriteEventAsync(string code, string data)
    {
        var seconds = _time.GetElapsedTime(_start).TotalSeconds;
        if (Append(string.Create(CultureInfo.InvariantCulture, $"[{seconds:0.000000}, \"{code}\", {JsonSerializer.Serialize(data)}]")) >= ChunkBytes)
        {
            _ = FlushAsync(CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <returns>The bytes waiting to be stored.</returns>
    private long Append(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        lock (_lock)
        {
            if (_pending.Length + bytes.Length > MaxPendingBytes)
            {
                if (!_dropping)
                {
                    LogDropping(_logger, Id, MaxPendingBytes);
                    _dropping = true;
                }

                return _pending.Length;
            }

            _pending.Write(bytes);
            return _pending.Length;
        }
    }

    /// <summary>Stores what was written so far as the next chunk; kept for the next try when the store is down.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            byte[] chunk;
            lock (_lock)
            {
                if (_pending.Length == 0)
                {
                    return;
                }

                chunk = _pending.ToArray();
                _pending = new MemoryStream();
            }

            try
            {
                await _store.AppendRecordingAsync(Id, _seq, chunk, ct);
                _seq++;
                _dropping = false;
            }
            catch (Exception e) when (e is StoreUnavailableException or ObjectDisposedException or OperationCanceledException)
            {
                lock (_lock)
                {
                    // Put it back in front of what came since, as far as the bound allows.
                    var since = _pending.ToArray();
                    _pending = new MemoryStream();
                    _pending.Write(chunk);
                    if (chunk.Length + since.Length <= MaxPendingBytes)
                    {
                        _pending.Write(since);
                    }
                }
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>
    /// Stores the rest and marks the recording ended. When the store is down, that is retried
    /// every second in the background until it answers (or the host stops: then the unsaved
    /// bytes are logged as lost).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        if (await TryFinishAsync())
        {
            _ended(this);
            return;
        }

        _ = FinishLaterAsync();
    }

    private async Task<bool> TryFinishAsync()
    {
        await FlushAsync(CancellationToken.None);
        lock (_lock)
        {
            if (_pending.Length > 0)
            {
                return false;
            }
        }

        try
        {
            await _store.EndRecordingAsync(Id, _endedAt ??= _time.GetUtcNow());
            return true;
        }
        catch (Exception e) when (e is StoreUnavailableException or ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task FinishLaterAsync()
    {
        LogFinishingLater(_logger, Id);
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, _stopping);
                if (await TryFinishAsync())
                {
                    LogFinished(_logger, Id);
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                LogLost(_logger, Id, _pending.Length);
            }
        }
        finally
        {
            _ended(this);
        }
    }

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Recording {Id}: over {Bytes} bytes wait for the store; later output is not recorded until it answers")]
    private static partial void LogDropping(ILogger logger, string id, int bytes);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Recording {Id} ended while the store is unavailable; its last output is kept and stored once it answers")]
    private static partial void LogFinishingLater(ILogger logger, string id);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Information, Message = "Recording {Id} stored after the store came back")]
    private static partial void LogFinished(ILogger logger, string id);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Error, Message = "Recording {Id}: the last {Bytes} bytes could not be stored before the process stopped")]
    private static partial void LogLost(ILogger logger, string id, long bytes);
}
