using System.Net;

namespace Porthole.KubeSim.Hosting;

/// <summary>How a simulator instance listens, what it seeds and how it behaves.</summary>
public sealed record KubeSimOptions
{
    /// <summary>Listen address; port 0 picks a free port.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 6443);

    /// <summary>Exec runs real processes on this host: non-loopback listening must be asked for.</summary>
    public bool AllowRemote { get; init; }

    /// <summary>Where to write a kubeconfig for the simulated users, if anywhere.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>"demo" (team namespaces, Deployments, a crash-looping pod, a CRD, events) or "empty" (system namespaces, nodes and RBAC only).</summary>
    public string Seed { get; init; } = "demo";

    /// <summary>Extra bare pods to create at start in namespace "load" (load tests); the kubelet runs them.</summary>
    public int Pods { get; init; }

    public int Nodes { get; init; } = 3;

    /// <summary>Background object updates per second (0: none); see <see cref="SimChurn"/>.</summary>
    public double Churn { get; init; }

    /// <summary>Watch events retained for resuming watches; older resourceVersions get 410 Expired.</summary>
    public int HistoryWindow { get; init; } = 100_000;

    /// <summary>How often watches that asked for bookmarks receive one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Root of the per-container working directories exec runs in.</summary>
    public string DataDir { get; init; } = Path.Combine(Path.GetTempPath(), $"kubesim-{Environment.ProcessId}");

    /// <summary>Fixed bearer tokens by user name (tests); random ones otherwise.</summary>
    public IReadOnlyDictionary<string, string>? Tokens { get; init; }

    /// <summary>Lines per second each simulated container logs.</summary>
    public double LogLinesPerSecond { get; init; } = 1;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Tunables of the simulated scheduler and kubelet (start delays, crash and back-off timings).</summary>
    public Kubelet.KubeletOptions Kubelet { get; init; } = new();

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static KubeSimOptions Parse(IReadOnlyList<string> args)
    {
        var options = new KubeSimOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            int Number() => int.TryParse(Value(), out var n) && n >= 0 ? n : throw new ArgumentException($"{arg} needs a non-negative whole number");
            options = arg switch
            {
                "--listen" => options with { Listen = ParseEndpoint(Value()) },
                "--allow-remote" => options with { AllowRemote = true },
                "--write-kubeconfig" => options with { KubeconfigPath = Value() },
                "--seed" => options with { Seed = Value() is var seed && seed is "demo" or "empty" ? seed : throw new ArgumentException("--seed must be demo or empty") },
                "--pods" => options with { Pods = Number() },
                "--churn" => options with { Churn = Number() },
                "--nodes" => options with { Nodes = Math.Max(1, Number()) },
                "--history" => options with { HistoryWindow = Math.Max(16, Number()) },
                "--data-dir" => options with { DataDir = Value() },
                _ => throw new ArgumentException($"unknown argument {arg}"),
            };
        }

        if (!options.AllowRemote && !IPAddress.IsLoopback(options.Listen.Address))
        {
            throw new ArgumentException($"refusing to listen on {options.Listen.Address}: exec runs real processes on this host; pass --allow-remote to listen beyond loopback");
        }

        return options;
    }

    private static IPEndPoint ParseEndpoint(string value)
    {
        if (IPEndPoint.TryParse(value, out var endpoint) && value.Contains(':', StringComparison.Ordinal))
        {
            return endpoint;
        }

        var colon = value.LastIndexOf(':');
        if (colon > 0 && value[..colon] == "localhost" && int.TryParse(value[(colon + 1)..], out var port))
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        throw new ArgumentException($"--listen wants ADDRESS:PORT, got {value}");
    }
}
