using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Porthole.Auth;
using Porthole.Clusters;
using Porthole.Hosting;
using Porthole.Hub;
using Porthole.KubeSim.Hosting;

namespace Porthole.Tests.Hub;

/// <summary>
/// KubeSim in-process on loopback, reached by Porthole through a cuttable TCP proxy, and Porthole
/// on Kestrel (auth mode none: the kubeconfig's contexts are the clusters sim-admin, sim-dev...).
/// A test sign-in after the pipeline stands in for the auth modes when the upgrade request
/// names a user (<see cref="AsUser"/>, <see cref="WithToken"/>).
/// </summary>
public class HubFixture : IAsyncLifetime
{
    private string? _kubeconfig;

    public SimServer Sim { get; private set; } = null!;

    public TcpProxy Proxy { get; private set; } = null!;

    public PortholeTestHost Porthole { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    /// <summary>Porthole's clock (KubeSim keeps the real one).</summary>
    protected virtual TimeProvider? Time => null;

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
        Porthole = await PortholeTestHost.StartAsync(options: options, afterPipeline: SignIn, time: Time, services: s => s.AddSingleton(Options));
        Admin = Sim.CreateHttpClient("sim-admin");
    }

    /// <summary>Headers that sign the hub connection in as <paramref name="user"/>, impersonated with its groups (auth modes cookie/OIDC/proxy).</summary>
    public static Dictionary<string, string> AsUser(string user, params string[] groups) =>
        new() { ["X-Test-User"] = user, ["X-Test-Groups"] = string.Join(",", groups.Append("system:authenticated")) };

    /// <summary>Headers that sign the hub connection in as KubeSim user <paramref name="user"/> with that user's own token (auth mode token).</summary>
    public static Dictionary<string, string> WithToken(string user) => new() { ["X-Test-Token-User"] = user };

    /// <summary>Porthole's own gauge of open upstream watches on <paramref name="cluster"/>, or on all clusters (discovery's CRD watches included).</summary>
    public async Task<double> UpstreamWatchesAsync(string? cluster = null)
    {
        using var http = Porthole.Client();
        var text = await http.GetStringAsync("/metrics");
        return text.Split('\n')
            .Where(l => l.StartsWith("porthole_upstream_watches{", StringComparison.Ordinal) && (cluster is null || l.Contains($"cluster=\"{cluster}\"", StringComparison.Ordinal)))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Open watches once Porthole's gauge (all clusters) and KubeSim's counter agree: nothing is opening or closing.</summary>
    public async Task<long> SettledWatchesAsync()
    {
        var deadline = DateTime.UtcNow + HubClient.Deadline;
        while (true)
        {
            var sim = Sim.Counters.OpenWatches;
            if (await UpstreamWatchesAsync() == sim && Sim.Counters.OpenWatches == sim)
            {
                return sim;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Porthole's upstream watch gauge and KubeSim's open watches never agreed");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Deletes a RoleBinding (access is revoked); disposing the result creates it again.</summary>
    public async Task<IAsyncDisposable> RevokeAsync(string ns, string binding)
    {
        var path = $"apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings";
        var saved = await Admin.GetFromJsonAsync<JsonObject>($"{path}/{binding}");
        (await Admin.DeleteAsync($"{path}/{binding}")).EnsureSuccessStatusCode();
        saved!["metadata"]!.AsObject().Remove("resourceVersion");
        saved["metadata"]!.AsObject().Remove("uid");
        return new Restore(async () => (await Admin.PostAsJsonAsync(path, saved)).EnsureSuccessStatusCode());
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

    /// <summary>The test sign-in: what an auth mode sets for a signed-in user, from the upgrade request's test headers.</summary>
    private void SignIn(IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Headers["X-Test-User"].ToString() is { Length: > 0 } user)
        {
            var groups = context.Request.Headers["X-Test-Groups"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
            context.Features.Set<IPortholeUserFeature>(new PortholeUserFeature(new PortholeUser(user, groups, AuthenticatedBy.Cookie)));
            context.Features.Set<IImpersonationFeature>(new ImpersonationFeature(user, groups, Impersonate: true));
        }
        else if (context.Request.Headers["X-Test-Token-User"].ToString() is { Length: > 0 } owner)
        {
            context.Features.Set<IPortholeUserFeature>(new PortholeUserFeature(new PortholeUser(owner, [], AuthenticatedBy.Bearer)));
            context.Features.Set<IKubeCredentialFeature>(new KubeCredentialFeature(new KubeCredential.UserToken(Sim.Tokens[owner])));
        }

        return next(context);
    });

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

    private sealed class Restore(Func<Task> restore) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await restore();
    }
}
