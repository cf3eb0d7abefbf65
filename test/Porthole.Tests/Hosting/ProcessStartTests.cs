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
        var home = Directory.CreateTempSubdirectory("porthole-home-").FullName;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "porthole.dll")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["HOME"] = home;
        start.Environment["KUBECONFIG"] = "";
        start.Environment["PORTHOLE_PORT"] = "0";
        start.Environment["PORTHOLE_DEMO"] = "false";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            // The JSON log line of event 1002 carries the bound address.
            while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                output.Enqueue(line);
                var match = System.Text.RegularExpressions.Regex.Match(line, "Listening on (http://127\\.0\\.0\\.1:\\d+)");
                if (match.Success)
                {
                    listening.TrySetResult(match.Groups[1].Value);
                }
            }

            listening.TrySetException(new InvalidOperationException("porthole exited before listening"));
        });

        string url;
        try
        {
            url = await listening.Task.WaitAsync(TimeSpan.FromMinutes(1));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            process.Kill();
            Assert.Fail($"no 'Listening on' line: {string.Join('\n', output)}");
            throw;
        }

        using (var client = new HttpClient { BaseAddress = new Uri(url) })
        {
            Assert.Equal("Healthy", await client.GetStringAsync("/healthz", cts.Token));
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync(cts.Token);
        }

        await reader;
        await process.WaitForExitAsync(cts.Token);
        await stderr;
        Directory.Delete(home, recursive: true);

        Assert.Equal(0, process.ExitCode);
        var log = string.Join('\n', output);
        Assert.Contains("\"EventId\":1003", log, StringComparison.Ordinal);
        Assert.Contains("\"EventId\":1004", log, StringComparison.Ordinal);
    }
}
