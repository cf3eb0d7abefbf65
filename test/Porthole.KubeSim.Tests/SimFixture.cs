using System.Net;
using System.Text;
using k8s;
using Porthole.KubeSim.Hosting;

namespace Porthole.KubeSim.Tests;

/// <summary>
/// One simulator on a loopback port for a test class, reached over real HTTPS with the
/// official KubernetesClient through the kubeconfig it writes.
/// </summary>
public sealed class SimFixture : IAsyncLifetime
{
    private SimServer? _server;

    public SimServer Server => _server ?? throw new InvalidOperationException("not started");

    public string KubeconfigPath { get; } = Path.Combine(Path.GetTempPath(), $"kubesim-test-{Guid.NewGuid():N}.kubeconfig");

    public async Task InitializeAsync()
    {
        _server = await SimServer.StartAsync(new KubeSimOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Seed = "empty",
            KubeconfigPath = KubeconfigPath,
            BookmarkInterval = TimeSpan.FromSeconds(1),
        });
    }

    /// <summary>A client acting as one of the simulated users (sim-admin by default).</summary>
    public Kubernetes Client(string user = "sim-admin")
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Server.Kubeconfig));
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(stream, currentContext: user);
        return new Kubernetes(config);
    }

    /// <summary>A raw HttpClient trusting the simulator's CA, with a user's bearer token.</summary>
    public HttpClient Http(string? user = "sim-admin") => Server.CreateHttpClient(user);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        File.Delete(KubeconfigPath);
    }
}

/// <summary>Polls a condition until it holds or a generous deadline passes (no fixed sleeps).</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met in time: {what ?? "(unnamed)"}; last value: {value}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(250, delay.TotalMilliseconds * 2));
        }
    }
}
