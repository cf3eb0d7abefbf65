using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Hosting;

/// <summary>
/// A running simulator: an HTTPS Kubernetes API on a loopback port with its own CA, seeded
/// state, controllers and kubelet. Start one in-process with <see cref="StartAsync"/>; read
/// <see cref="Url"/>, <see cref="Kubeconfig"/> and <see cref="Tokens"/> to connect.
/// </summary>
public sealed partial class SimServer : IAsyncDisposable
{
    private readonly CertificateAuthority _ca;
    private readonly Server.KubeSimContext _sim;
    private readonly IAsyncDisposable[] _background;
    private WebApplication? _app;

    private SimServer(WebApplication app, Listener listener, Server.KubeSimContext sim, Uri url, IAsyncDisposable[] background)
    {
        _app = app;
        _ca = listener.Ca;
        _listener = listener with { Endpoint = new IPEndPoint(listener.Endpoint.Address, url.Port) };
        _sim = sim;
        Url = url;
        _background = background;
        sim.Faults.AttachListener(StopListenerAsync, StartListenerAsync);
        Churn = new SimChurn(sim.Store, sim.Registry, sim.Time, sim.Counters);
        if (sim.Options.Churn > 0)
        {
            Churn.Start(sim.Options.Churn);
        }
        Kubeconfig = Hosting.Kubeconfig.Render(url.ToString().TrimEnd('/'), listener.Ca.CertificatePem, sim.Authenticator.Users.Select(u => (u.User.Name, u.Token)).ToList(), "sim-admin");
    }

    public Uri Url { get; }

    /// <summary>A kubeconfig with a context per simulated user (sim-admin current).</summary>
    public string Kubeconfig { get; }

    public string CaCertificatePem => _ca.CertificatePem;

    public System.Security.Cryptography.X509Certificates.X509Certificate2 CaCertificate => _ca.Certificate;

    /// <summary>Bearer token by user name: sim-admin, sim-viewer, sim-dev, sim-porthole.</summary>
    public IReadOnlyDictionary<string, string> Tokens => _sim.Authenticator.Users.ToDictionary(u => u.User.Name, u => u.Token);

    public ObjectStore Store => _sim.Store;

    public ResourceRegistry Registry => _sim.Registry;

    public SimCounters Counters => _sim.Counters;

    public KubeSimOptions Options => _sim.Options;

    /// <summary>The --churn loop: start, retarget or stop background updates.</summary>
    public SimChurn Churn { get; }

    /// <summary>Fault injection: dropped or expired watches, latency, errors, listener restarts.</summary>
    public Faults.SimFaults Faults => _sim.Faults;

    public static async Task<SimServer> StartAsync(KubeSimOptions options, ILoggerFactory? loggerFactory = null, CancellationToken ct = default)
    {
        var ca = CertificateAuthority.Create([options.Listen.Address], options.Time);
        var listener = new Listener(options.Listen, ca, loggerFactory);
        var app = BuildApp(listener);
        var logger = (loggerFactory ?? app.Services.GetRequiredService<ILoggerFactory>()).CreateLogger("KubeSim");
        var sim = Compose(options, logger);
        listener = listener with { Api = new Server.KubeApi(sim, logger) };
        Route(app, listener);

        Seed(sim);
        var background = StartBackground(sim, logger);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var host = options.Listen.Address.Equals(IPAddress.Any) || options.Listen.Address.Equals(IPAddress.Loopback) ? "127.0.0.1"
            : options.Listen.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{options.Listen.Address}]" : options.Listen.Address.ToString();
        var server = new SimServer(app, listener, sim, new Uri($"https://{host}:{port}"), background);
        if (options.KubeconfigPath is not null)
        {
            Hosting.Kubeconfig.Write(options.KubeconfigPath, server.Kubeconfig);
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await Churn.StopAsync();
        await _listenerLock.WaitAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
        }

        foreach (var b in _background.Reverse())
        {
            await b.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _ca.Dispose();
        _sim.ServiceAccountTokens.Dispose();
    }
}
