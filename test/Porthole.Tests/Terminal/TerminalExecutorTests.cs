using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Porthole.Clusters;
using Porthole.Hosting;
using Porthole.Terminal;

namespace Porthole.Tests.Terminal;

/// <summary>
/// The exec core against the demo KubeSim, as the hub will use it. With a clock (FakeTimeProvider)
/// only explicit commands are started: the shell fallback's hold window runs on that clock.
/// </summary>
public abstract class TerminalExecutorFixture(TimeProvider? time, TimeSpan idleTimeout = default) : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private PortholeTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await PortholeTestHost.StartAsync(options: new PortholeOptions { Demo = true, DataDir = _dir.Path, TerminalLifetime = TimeSpan.FromMinutes(60), TerminalIdleTimeout = idleTimeout }, time: time);
        await _host.App.Services.GetRequiredService<ClusterRegistry>().WhenLoaded.WaitAsync(TimeSpan.FromMinutes(1));
        await TerminalPods.CreateAsync(_host);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    protected Task<TerminalSession> StartAsync(string pod, string container, IReadOnlyList<string>? command = null) =>
        _host.App.Services.GetRequiredService<TerminalExecutor>().StartAsync(
            new TerminalStart("sim-admin", new TerminalUser("sim-admin", null, KubeCredential.Server), "default", pod, container, command, 80, 24, Guid.NewGuid().ToString("N")),
            CancellationToken.None);

    /// <summary>The terminal's recording as far as written, read through the recordings feature (which flushes a running one).</summary>
    protected async Task<string> RecordingAsync(TerminalSession terminal)
    {
        var bytes = new MemoryStream();
        Assert.True(await _host.App.Services.GetRequiredService<TerminalRecordings>().CopyToAsync(terminal.RecordingId!, (chunk, ct) => bytes.WriteAsync(chunk, ct).AsTask(), () => { }, CancellationToken.None));
        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }

    protected static async Task<(string Output, TerminalEvent Last)> ReadUntilAsync(TerminalSession terminal, Func<string, TerminalEvent, bool> done)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var output = "";
        while (true)
        {
            if (!await terminal.Events.WaitToReadAsync(deadline.Token) || !terminal.Events.TryRead(out var e))
            {
                Assert.Fail("the terminal ended early; output so far: " + output);
                return default;
            }

            if (e is TerminalEvent.Output o)
            {
                output += o.Data;
            }
            else if (e is TerminalEvent.Exited or TerminalEvent.Failed or TerminalEvent.Ended && !done(output, e))
            {
                Assert.Fail($"the terminal ended early ({e}); output so far: {output}");
            }

            if (done(output, e))
            {
                return (output, e);
            }
        }
    }

}

public sealed class TerminalExecutorTests() : TerminalExecutorFixture(null)
{
    [Fact]
    public async Task StartAsync_ImageWithoutBash_FallsBackToShWithoutTrace()
    {
        await using var terminal = await StartAsync("web-2", "log-shipper");

        await terminal.SendInputAsync("echo $0; exit 3\r", CancellationToken.None);
        var (output, last) = await ReadUntilAsync(terminal, (_, e) => e is TerminalEvent.Exited or TerminalEvent.Failed);

        Assert.Equal(["sh"], terminal.Command);
        Assert.Equal(new TerminalEvent.Exited(3), last);
        Assert.DoesNotContain("bash", output, StringComparison.Ordinal);
        var cast = (await RecordingAsync(terminal)).Split('\n');
        Assert.StartsWith("{\"version\":2,\"width\":80,\"height\":24,", cast[0], StringComparison.Ordinal);
        Assert.Contains(cast, line => line.Contains("\"o\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_ImageWithBash_RunsBashAndResizeReachesStty()
    {
        await using var terminal = await StartAsync("web-1", "nginx");
        await terminal.ResizeAsync(101, 33, CancellationToken.None);

        await terminal.SendInputAsync("stty size\r", CancellationToken.None);
        await ReadUntilAsync(terminal, (output, _) => output.Contains("33 101", StringComparison.Ordinal));

        Assert.Equal(["bash"], terminal.Command);
        Assert.Contains("[", await RecordingAsync(terminal), StringComparison.Ordinal);
    }

}

public sealed class TerminalLifetimeTests() : TerminalExecutorFixture(Clock, TimeSpan.Zero)
{
    private static readonly FakeTimeProvider Clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task Lifetime_WarnsThenEnds()
    {
        await using var terminal = await StartAsync("web-1", "nginx", ["sh"]);

        Clock.Advance(TimeSpan.FromMinutes(55));
        var (_, toast) = await ReadUntilAsync(terminal, (_, e) => e is TerminalEvent.Toast);
        Clock.Advance(TimeSpan.FromMinutes(5));
        var (_, last) = await ReadUntilAsync(terminal, (_, e) => e is TerminalEvent.Failed or TerminalEvent.Exited or TerminalEvent.Ended);

        Assert.Contains("5 min", ((TerminalEvent.Toast)toast).Message, StringComparison.Ordinal);
        Assert.Equal(new TerminalEvent.Ended(TerminalEvent.Ended.Lifetime, "The terminal session was closed: it reached its maximum lifetime of 1 h."), last);
    }
}

public sealed class TerminalIdleTimeoutTests() : TerminalExecutorFixture(Clock, TimeSpan.FromMinutes(10))
{
    private static readonly FakeTimeProvider Clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task IdleTimeout_InputRestartsIt_ThenWarnsAndEnds()
    {
        await using var terminal = await StartAsync("web-1", "nginx", ["sh"]);

        Clock.Advance(TimeSpan.FromMinutes(9));
        var (_, first) = await ReadUntilAsync(terminal, (_, e) => e is TerminalEvent.Toast);
        await terminal.SendInputAsync("echo typed-$((2+3))\n", CancellationToken.None);
        await ReadUntilAsync(terminal, (output, _) => output.Contains("typed-5", StringComparison.Ordinal));

        // 17 min after the start is 8 min after the input: no notice, no end yet.
        Clock.Advance(TimeSpan.FromMinutes(8));
        while (terminal.Events.TryRead(out var early))
        {
            Assert.IsType<TerminalEvent.Output>(early);
        }

        Clock.Advance(TimeSpan.FromMinutes(1));
        var (_, second) = await ReadUntilAsync(terminal, (_, e) => e is TerminalEvent.Toast);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var (_, last) = await ReadUntilAsync(terminal, (_, e) => e is TerminalEvent.Ended);

        Assert.Contains("closes in 1 min unless you type", ((TerminalEvent.Toast)first).Message, StringComparison.Ordinal);
        Assert.Equal(((TerminalEvent.Toast)first).Message, ((TerminalEvent.Toast)second).Message);
        Assert.Equal(new TerminalEvent.Ended(TerminalEvent.Ended.IdleTimeout, "The terminal session was closed after 10 min without input."), last);
    }
}
