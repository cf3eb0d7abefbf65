using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Hosting;

namespace Porthole.KubeSim;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        KubeSimOptions options;
        try
        {
            options = KubeSimOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"kubesim: {e.Message}");
            await Console.Error.WriteLineAsync("usage: kubesim [--listen 127.0.0.1:6443] [--write-kubeconfig FILE] [--seed demo|empty] [--pods N] [--churn R] [--nodes N] [--history N] [--data-dir DIR] [--allow-remote]");
            return 2;
        }

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

        await using var server = await SimServer.StartAsync(options, loggers, stop.Token);
        Console.WriteLine($"KubeSim serving {server.Url} ({server.Store.Count(server.Registry.Find("", "v1", "pods")!)} pods)");
        if (options.KubeconfigPath is not null)
        {
            Console.WriteLine($"kubeconfig written to {Path.GetFullPath(options.KubeconfigPath)} (contexts: sim-admin, sim-viewer, sim-dev, sim-porthole)");
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }
}
