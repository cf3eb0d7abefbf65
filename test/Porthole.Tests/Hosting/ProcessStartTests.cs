using System.Diagnostics;

namespace Porthole.Tests.Hosting;

public sealed class ProcessStartTests
{
    [Fact]
    public async Task Main_InvalidSetting_ExitsNonZeroNamingTheVariableBeforeListening()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "porthole.dll")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["PORTHOLE_PORT"] = "not-a-port";
        start.Environment["PORTHOLE_BIND"] = "0.0.0.0";
        using var process = Process.Start(start)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("PORTHOLE_PORT: 'not-a-port'", await stderr, StringComparison.Ordinal);
        Assert.Contains("PORTHOLE_AUTH_MODE", await stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening", await stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_Sigterm_DrainsLogsPhasesAndExitsZero()
    {
        await using var porthole = new PortholeProcess(new Dictionary<string, string>());
        var url = await porthole.ListeningAsync();

        using (var client = new HttpClient { BaseAddress = url })
        {
            Assert.Equal("Healthy", await client.GetStringAsync("/healthz"));
        }

        await porthole.SignalAsync();
        await porthole.ExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(0, porthole.ExitCode);
        Assert.Contains("\"EventId\":1003", porthole.Log, StringComparison.Ordinal);
        Assert.Contains("\"EventId\":1004", porthole.Log, StringComparison.Ordinal);
    }
}
