using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Porthole.Hosting;
using Porthole.KubeSim.Hosting;

namespace Porthole.Tests;

/// <summary>
/// One in-process KubeSim (HTTPS on loopback) per test class, and Porthole hosts pointed at it
/// through a kubeconfig file, exactly as a user would configure them.
/// </summary>
public sealed class KubeSimFixture : IAsyncLifetime
{
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(1);

    private readonly string _dir = Directory.CreateTempSubdirectory("porthole-kubeconfig-").FullName;

    public SimServer Sim { get; private set; } = null!;

    public async Task InitializeAsync() => Sim = await SimServer.StartAsync(new KubeSimOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) });

    /// <summary>Writes the simulator's kubeconfig with <paramref name="currentContext"/> current (and, if given, another server URL).</summary>
    public string WriteKubeconfig(string currentContext = "sim-admin", Uri? server = null)
    {
        var text = Sim.Kubeconfig.Replace("current-context: sim-admin", $"current-context: {currentContext}", StringComparison.Ordinal);
        if (server is not null)
        {
            text = text.Replace(Sim.Url.ToString().TrimEnd('/'), server.ToString().TrimEnd('/'), StringComparison.Ordinal);
        }

        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.kubeconfig");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Starts Porthole on the simulator's kubeconfig and waits until every cluster's discovery is loaded.</summary>
    public async Task<PortholeTestHost> StartPortholeAsync(PortholeOptions? options = null, string currentContext = "sim-admin", Uri? server = null, Action<IApplicationBuilder>? afterPipeline = null)
    {
        var host = await PortholeTestHost.StartAsync(options: (options ?? new PortholeOptions()) with { Kubeconfig = WriteKubeconfig(currentContext, server), Demo = false }, afterPipeline: afterPipeline);
        var registry = host.App.Services.GetRequiredService<Porthole.Clusters.ClusterRegistry>();
        try
        {
            await Task.WhenAll(registry.Clusters.Select(c => c.Discovery.WhenLoaded)).WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            var log = string.Join('\n', host.Logs.Lines.Select(l => $"{l.Category}: {l.Message}"));
            await host.DisposeAsync();
            throw new TimeoutException($"discovery not loaded; log:\n{log}");
        }

        return host;
    }

    /// <summary>Binds ClusterRole <paramref name="clusterRole"/> to group <paramref name="group"/> in <paramref name="ns"/> (with an admin's client).</summary>
    public static async Task BindGroupAsync(HttpClient admin, string ns, string group, string clusterRole = "edit") =>
        (await admin.PostAsJsonAsync($"apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", new
        {
            apiVersion = "rbac.authorization.k8s.io/v1",
            kind = "RoleBinding",
            metadata = new { name = $"{clusterRole}-{Guid.NewGuid():n}"[..30] },
            roleRef = new { apiGroup = "rbac.authorization.k8s.io", kind = "ClusterRole", name = clusterRole },
            subjects = new[] { new { apiGroup = "rbac.authorization.k8s.io", kind = "Group", name = group } },
        })).EnsureSuccessStatusCode();

    public async Task DisposeAsync()
    {
        await Sim.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
