using System.Runtime.InteropServices;
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
        // Not disposed: ProcessExit may still cancel it after Main returns.
        var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

        // The web host's console lifetime swallows SIGTERM (it cancels the default exit and only
        // signals ApplicationStopping, which nothing waits on): stop here instead.
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

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
