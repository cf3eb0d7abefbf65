using System.Net;
using k8s;
using Polly;
using Polly.CircuitBreaker;
using Porthole.Clusters.Discovery;
using Porthole.Diagnostics;

namespace Porthole.Clusters;

/// <summary>
/// One configured cluster: its KubernetesClient (one connection pool), its circuit breaker and
/// its discovery cache. Every Kubernetes call goes through <see cref="SendAsync"/> (or, for exec,
/// <see cref="ConnectWebSocketAsync"/>), which attaches the caller's <see cref="KubeCredential"/>;
/// the pool's handler writes impersonated groups one header line each (<see cref="ImpersonationHeaders"/>).
/// </summary>
public sealed partial class Cluster : IDisposable
{
    private readonly Kubernetes _client;
    private readonly HttpMessageInvoker _invoker;
    private readonly Lazy<(Kubernetes Client, HttpMessageInvoker Invoker)> _token;
    private readonly ResiliencePipeline<HttpResponseMessage> _breaker;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly PortholeMetrics _metrics;

    internal Cluster(string name, KubernetesClientConfiguration configuration, ClusterBreakerOptions breaker, PortholeMetrics metrics, TimeProvider time, ILogger logger)
    {
        Name = name;
        Configuration = configuration;
        (_client, _invoker) = Connect(configuration);

        // For users' own tokens: the same server and CA trust, but no kubeconfig credential at all
        // (a client certificate of the server's would otherwise authenticate alongside the token).
        _token = new(() => Connect(new KubernetesClientConfiguration
        {
            Host = configuration.Host,
            SslCaCerts = configuration.SslCaCerts,
            SkipTlsVerify = configuration.SkipTlsVerify,
            TlsServerName = configuration.TlsServerName,
        }));
        _metrics = metrics;
        _breaker = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddCircuitBreaker(breaker.ToStrategy(_circuit, name, logger))
            .Build();
        Discovery = new ClusterDiscovery(this, time, logger);
    }

    public string Name { get; }

    public KubernetesClientConfiguration Configuration { get; }

    /// <summary>The API server's base URL.</summary>
    public string Server => Configuration.Host;

    /// <summary>Closed (calls flow), Open (refused without a call), HalfOpen (one probe in flight).</summary>
    public CircuitState Circuit => _circuit.CircuitState;

    public ClusterDiscovery Discovery { get; }

    internal PortholeMetrics Metrics => _metrics;

    /// <summary>
    /// Sends a request to this cluster's API server with <paramref name="credential"/>; the
    /// response is returned as soon as its headers arrive (the body can be streamed). Throws
    /// <see cref="BrokenCircuitException"/> while the circuit is open, without any network call;
    /// connection failures, upstream timeouts and 502/503/504 answers count towards opening it.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, KubeCredential credential, CancellationToken cancellationToken)
    {
        request.RequestUri = new Uri(_client.BaseUri, request.RequestUri!.OriginalString.TrimStart('/'));
        await ApplyAsync(request, credential, cancellationToken);
        try
        {
            var client = credential is KubeCredential.UserToken ? _token.Value.Client : _client;
            var response = await _breaker.ExecuteAsync(
                static (state, ct) => new ValueTask<HttpResponseMessage>(state.Client.HttpClient.SendAsync(state.Request, HttpCompletionOption.ResponseHeadersRead, ct)),
                (Client: client, Request: request),
                cancellationToken);
            _metrics.KubeCall(Name, (int)response.StatusCode);
            return response;
        }
        catch (BrokenCircuitException)
        {
            _metrics.KubeError(Name, "circuit_open");
            throw;
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _metrics.KubeError(Name, e is HttpRequestException ? "transport" : "timeout");
            throw;
        }
    }

    private async Task ApplyAsync(HttpRequestMessage request, KubeCredential credential, CancellationToken cancellationToken)
    {
        foreach (var name in request.Headers.Select(h => h.Key).Where(IsIdentityHeader).ToList())
        {
            request.Headers.Remove(name);
        }

        switch (credential)
        {
            case KubeCredential.UserToken user:
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", user.Token);
                break;
            case KubeCredential.Impersonation who:
                await ApplyServerAsync(request, cancellationToken);
                ImpersonationHeaders.Add(request.Headers, who);

                // The group lines are written by the HTTP/1.1 header writer (HTTP/2 would refuse them).
                request.Version = HttpVersion.Version11;
                request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
                break;
            case KubeCredential.ServerIdentity:
                await ApplyServerAsync(request, cancellationToken);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(credential), "unknown credential kind");
        }
    }

    private async Task ApplyServerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }
    }

    /// <summary>
    /// A KubernetesClient for <paramref name="configuration"/> whose SocketsHttpHandler writes
    /// impersonation headers (<see cref="ImpersonationHeaders.Install"/>), and an invoker straight
    /// over that handler for WebSocket upgrades. The configuration is left as it was.
    /// </summary>
    private static (Kubernetes Client, HttpMessageInvoker Invoker) Connect(KubernetesClientConfiguration configuration)
    {
        var setup = configuration.FirstMessageHandlerSetup;
        SocketsHttpHandler? handler = null;
        configuration.FirstMessageHandlerSetup = h =>
        {
            setup?.Invoke(h);
            ImpersonationHeaders.Install(h);
            handler = h;
        };
        try
        {
            var client = new Kubernetes(configuration);
            return (client, new HttpMessageInvoker(handler ?? throw new InvalidOperationException("KubernetesClient did not call FirstMessageHandlerSetup"), disposeHandler: false));
        }
        finally
        {
            configuration.FirstMessageHandlerSetup = setup;
        }
    }

    private static bool IsIdentityHeader(string name) =>
        name.StartsWith("Impersonate-", StringComparison.OrdinalIgnoreCase) || name.Equals("Authorization", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for outcomes that say the API server is not answering: they count towards opening the circuit.</summary>
    internal static bool IsFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException } => true,
        { Exception: TaskCanceledException { InnerException: TimeoutException } } => true,
        { Result.StatusCode: HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout } => true,
        _ => false,
    };

    public void Dispose()
    {
        _invoker.Dispose();
        _client.Dispose();
        if (_token.IsValueCreated)
        {
            _token.Value.Invoker.Dispose();
            _token.Value.Client.Dispose();
        }
    }
}
