using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Metrics;

/// <summary>
/// Simulated resource usage: each container gets a stable baseline from its name (scaled to its
/// requests when it has them) that drifts smoothly over minutes and jitters per scrape window.
/// </summary>
public static class Usage
{
    private const double Mi = 1024 * 1024;

    /// <summary>CPU cores and memory bytes of each running container of a pod at <paramref name="at"/>.</summary>
    public static IReadOnlyList<(string Container, double Cpu, double Memory)> ForPod(JsonObject pod, DateTimeOffset at)
    {
        var running = pod.Arr("status", "containerStatuses")?.OfType<JsonObject>()
            .Where(s => s.Obj("state", "running") is not null).Select(s => s.Str("name") ?? "").ToHashSet(StringComparer.Ordinal) ?? [];
        var result = new List<(string, double, double)>();
        foreach (var c in SimContainers.Containers(pod, "containers"))
        {
            var name = c.Str("name") ?? "";
            if (!running.Contains(name))
            {
                continue;
            }

            var seed = SimFormat.Hash($"{pod.Namespace()}/{pod.Name()}/{name}");
            var cpuRequest = Quantities.Parse(c.Str("resources", "requests", "cpu") ?? c.Str("resources", "limits", "cpu"));
            var memRequest = Quantities.Parse(c.Str("resources", "requests", "memory") ?? c.Str("resources", "limits", "memory"));
            var cpuBase = cpuRequest is { } cr ? cr * (0.1 + (0.5 * SimFormat.Unit(SimFormat.Mix(seed, 11))))
                : 0.001 + (0.079 * SimFormat.Unit(SimFormat.Mix(seed, 12)));
            var memBase = memRequest is { } mr ? mr * (0.3 + (0.5 * SimFormat.Unit(SimFormat.Mix(seed, 13))))
                : (8 + (248 * SimFormat.Unit(SimFormat.Mix(seed, 14)))) * Mi;
            var cpu = cpuBase * (0.6 + (0.6 * Wave(seed, at, 300)) + (0.2 * Jitter(seed, at)));
            var memory = memBase * (0.95 + (0.08 * Wave(seed ^ 0xABCDEFUL, at, 900)) + (0.02 * Jitter(seed ^ 1UL, at)));
            result.Add((name, cpu, memory));
        }

        return result;
    }

    /// <summary>A node's usage: the sum of its running pods plus the node's own daemons.</summary>
    public static (double Cpu, double Memory) ForNode(string node, IEnumerable<JsonObject> pods, DateTimeOffset at)
    {
        var seed = SimFormat.Hash("node/" + node);
        var cpu = (0.08 + (0.12 * SimFormat.Unit(SimFormat.Mix(seed, 21)))) * (0.8 + (0.4 * Wave(seed, at, 600)));
        var memory = (500 + (400 * SimFormat.Unit(SimFormat.Mix(seed, 22)))) * Mi * (0.97 + (0.06 * Wave(seed, at, 1200)));
        foreach (var pod in pods)
        {
            foreach (var (_, c, m) in ForPod(pod, at))
            {
                cpu += c;
                memory += m;
            }
        }

        return (cpu, memory);
    }

    /// <summary>A smooth 0..1 oscillation with a per-seed phase and the given period in seconds.</summary>
    private static double Wave(ulong seed, DateTimeOffset at, double periodSeconds)
    {
        var phase = SimFormat.Unit(SimFormat.Mix(seed, 31)) * 2 * Math.PI;
        return 0.5 + (0.5 * Math.Sin((at.ToUnixTimeMilliseconds() / 1000.0 * 2 * Math.PI / periodSeconds) + phase));
    }

    /// <summary>0..1 noise that changes once per 15 s scrape window.</summary>
    private static double Jitter(ulong seed, DateTimeOffset at) =>
        SimFormat.Unit(SimFormat.Mix(seed, at.ToUnixTimeSeconds() / 15));
}
