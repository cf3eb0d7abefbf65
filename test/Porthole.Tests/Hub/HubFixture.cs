using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Porthole.Hosting;
using Porthole.Hub;
using Porthole.KubeSim.Hosting;

namespace Porthole.Tests.Hub;

/// <summary>
/// KubeSim in-process on loopback, reached by Porthole through a cuttable TCP proxy, and Porthole
/// on Kestrel (auth mode none: the kubeconfig's contexts are the clusters sim-admin, sim-dev...).
/// </summary>
public class HubFixture : IAsyncLifetime
{
    private string? _kubeconfig;

    public SimServer Sim { get; private set; } = null!;

    public TcpProxy Proxy { get; private set; } = null!;

    public PortholeTestHost Porthole { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    protected virtual HubOptions Options => new()
    {
        WatchLinger = TimeSpan.FromMilliseconds(300),
        AccessRecheck = TimeSpan.FromMilliseconds(500),
        SnapshotBatch = 50,
    };

    public async Task InitializeAsync()
    {
        Sim = await SimServer.StartAsync(new KubeSimOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            LogLinesPerSecond = 20,
            BookmarkInterval = TimeSpan.FromHours(1),
        });
        Proxy = new TcpProxy(new IPEndPoint(IPAddress.Loopback, Sim.Url.Port));
        _kubeconfig = Path.Combine(Path.GetTempPath(), $"porthole-hub-{Guid.NewGuid():n}.kubeconfig");
        await File.WriteAllTextAsync(_kubeconfig, Sim.Kubeconfig.Replace($":{Sim.Url.Port}", $":{Proxy.Port}", StringComparison.Ordinal));
        var options = new PortholeOptions { Kubeconfig = _kubeconfig, BreakerCooldown = TimeSpan.FromMilliseconds(500), DataDir = Path.Combine(Path.GetTempPath(), $"porthole-hub-{Guid.NewGuid():n}") };
        Porthole = await PortholeTestHost.StartAsync(options: options, services: s => s.AddSingleton(Options));
        Admin = Sim.CreateHttpClient("sim-admin");
    }

    /// <summary>Creates a fresh namespace for one test.</summary>
    public async Task<string> NamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("n")[..10];
        var created = await Admin.PostAsJsonAsync("api/v1/namespaces", new { apiVersion = "v1", kind = "Namespace", metadata = new { name } });
        created.EnsureSuccessStatusCode();
        return name;
    }

    public async Task<JsonObject> CreateConfigMapAsync(string ns, string name, string value = "1", Dictionary<string, string>? labels = null)
    {
        var response = await Admin.PostAsJsonAsync($"api/v1/namespaces/{ns}/configmaps", new
        {
            apiVersion = "v1",
            kind = "ConfigMap",
            metadata = new { name, labels = labels ?? [] },
            data = new Dictionary<string, string> { ["v"] = value },
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public async Task UpdateConfigMapAsync(string ns, string name, string value)
    {
        var body = new JsonObject { ["data"] = new JsonObject { ["v"] = value } }.ToJsonString();
        using var patch = new StringContent(body, System.Text.Encoding.UTF8, "application/merge-patch+json");
        (await Admin.PatchAsync($"api/v1/namespaces/{ns}/configmaps/{name}", patch)).EnsureSuccessStatusCode();
    }

    public async Task DeleteConfigMapAsync(string ns, string name) =>
        (await Admin.DeleteAsync($"api/v1/namespaces/{ns}/configmaps/{name}")).EnsureSuccessStatusCode();

    /// <summary>The configmaps of a namespace as KubeSim holds them: name → resourceVersion.</summary>
    public async Task<Dictionary<string, string>> ConfigMapVersionsAsync(string ns)
    {
        var list = await Admin.GetFromJsonAsync<JsonObject>($"api/v1/namespaces/{ns}/configmaps");
        return list!["items"]!.AsArray().ToDictionary(i => i!["metadata"]!["name"]!.GetValue<string>(), i => i!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    public Task CreatePodAsync(string ns, string name, Dictionary<string, string> labels, params string[] containers) =>
        CreatePodAsync(ns, name, "busybox:1.36", labels, containers);

    public async Task CreatePodAsync(string ns, string name, string image, Dictionary<string, string> labels, params string[] containers)
    {
        var response = await Admin.PostAsJsonAsync($"api/v1/namespaces/{ns}/pods", new
        {
            apiVersion = "v1",
            kind = "Pod",
            metadata = new { name, labels },
            spec = new { containers = containers.Select(c => new { name = c, image }).ToArray() },
        });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Creates a pod and waits until its containers run (the kubelet started them).</summary>
    public Task RunningPodAsync(string ns, string name, Dictionary<string, string> labels, params string[] containers) =>
        RunningPodAsync(ns, name, "busybox:1.36", labels, containers);

    /// <summary>Creates a pod of <paramref name="image"/> and waits until its containers run.</summary>
    public async Task RunningPodAsync(string ns, string name, string image, Dictionary<string, string> labels, params string[] containers)
    {
        await CreatePodAsync(ns, name, image, labels, containers);
        var deadline = DateTime.UtcNow + HubClient.Deadline;
        while (true)
        {
            var pod = await Admin.GetFromJsonAsync<JsonObject>($"api/v1/namespaces/{ns}/pods/{name}");
            var statuses = pod!["status"]?["containerStatuses"]?.AsArray();
            if (statuses is { Count: > 0 } && statuses.Count == containers.Length && statuses.All(s => s!["state"]?["running"] is not null))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"pod {ns}/{name} did not start");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Polls KubeSim until a condition holds (no sleeps in tests: a condition with a deadline).</summary>
    public static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + HubClient.Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Porthole.DisposeAsync();
        await Proxy.DisposeAsync();
        await Sim.DisposeAsync();
        if (_kubeconfig is not null)
        {
            File.Delete(_kubeconfig);
        }
    }
}
