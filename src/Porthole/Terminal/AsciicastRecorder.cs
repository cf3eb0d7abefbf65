using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Porthole.Terminal;

/// <summary>
/// Writes a terminal's output as an asciicast v2 file (https://docs.asciinema.org/manual/asciicast/v2/):
/// a header line, then <c>[seconds, "o", data]</c> output and <c>[seconds, "r", "COLSxROWS"]</c>
/// resize events. Input is never recorded (it carries passwords).
/// </summary>
internal sealed class AsciicastRecorder : IAsyncDisposable
{
    private readonly StreamWriter _writer;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly SemaphoreSlim _lock = new(1, 1);

    private AsciicastRecorder(StreamWriter writer, TimeProvider time)
    {
        _writer = writer;
        _time = time;
        _start = time.GetTimestamp();
    }

    public string Path { get; private init; } = "";

    public static async Task<AsciicastRecorder> CreateAsync(string directory, string id, int cols, int rows, string title, TimeProvider time, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, id + ".cast");
        var writer = new StreamWriter(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 4096, useAsync: true), new UTF8Encoding(false));
        var header = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["version"] = 2,
            ["width"] = cols,
            ["height"] = rows,
            ["timestamp"] = time.GetUtcNow().ToUnixTimeSeconds(),
            ["title"] = title,
            ["env"] = new Dictionary<string, string> { ["TERM"] = "xterm-256color" },
        });
        await writer.WriteLineAsync(header.AsMemory(), ct);
        await writer.FlushAsync(ct);
        return new AsciicastRecorder(writer, time) { Path = path };
    }

    public Task OutputAsync(string data) => WriteEventAsync("o", data);

    public Task ResizeAsync(int cols, int rows) => WriteEventAsync("r", string.Create(CultureInfo.InvariantCulture, $"{cols}x{rows}"));

    private async Task WriteEventAsync(string code, string data)
    {
        var seconds = _time.GetElapsedTime(_start).TotalSeconds;
        var line = string.Create(CultureInfo.InvariantCulture, $"[{seconds:0.000000}, \"{code}\", {JsonSerializer.Serialize(data)}]");
        await _lock.WaitAsync();
        try
        {
            await _writer.WriteLineAsync(line);
            await _writer.FlushAsync();
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lock.WaitAsync();
        await _writer.DisposeAsync();
        _lock.Release();
        _lock.Dispose();
    }
}
