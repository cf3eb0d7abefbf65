using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Porthole.Hosting;

namespace Porthole.Auth.Oidc;

/// <summary>
/// The issuer's discovery document and signing keys (JWKS), fetched on first use and refreshed
/// every <see cref="RefreshInterval"/>; a token signed by a key not yet known (the issuer rotated
/// its keys) forces a refresh, at most once per <see cref="MinimumRefreshInterval"/> so a flood
/// of forged key ids cannot make Porthole hammer the issuer.
/// </summary>
public sealed partial class OidcMetadata(PortholeOptions options, TimeProvider time, ILogger<OidcMetadata> logger) : IDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(15) };
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private Snapshot? _current;

    /// <summary>The parsed discovery document and keys, with when they were fetched.</summary>
    public sealed record Snapshot(OpenIdConnectConfiguration Configuration, IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt);

    public async Task<Snapshot> GetAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && time.GetUtcNow() - current.FetchedAt < RefreshInterval)
        {
            return current;
        }

        return await RefreshAsync(current, cancellationToken);
    }

    /// <summary>Refetches after a token named an unknown key; returns the old snapshot when refreshed too recently.</summary>
    public async Task<Snapshot> RefreshForUnknownKeyAsync(Snapshot seen, CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - seen.FetchedAt < MinimumRefreshInterval)
        {
            return _current ?? seen;
        }

        return await RefreshAsync(seen, cancellationToken);
    }

    private async Task<Snapshot> RefreshAsync(Snapshot? seen, CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            if (!ReferenceEquals(_current, seen) && _current is { } newer)
            {
                return newer; // another request refreshed meanwhile
            }

            var issuer = options.Oidc.Issuer ?? throw new InvalidOperationException("PORTHOLE_OIDC_ISSUER is not set");
            var discoveryUrl = new Uri(issuer.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration");
            var configuration = OpenIdConnectConfiguration.Create(await GetStringAsync(discoveryUrl, cancellationToken));
            if (configuration.Issuer?.TrimEnd('/') != issuer.AbsoluteUri.TrimEnd('/'))
            {
                throw new InvalidOperationException($"The discovery document of {issuer} names issuer '{configuration.Issuer}'");
            }

            var jwks = new JsonWebKeySet(await GetStringAsync(new Uri(configuration.JwksUri), cancellationToken));
            var snapshot = new Snapshot(configuration, [.. jwks.GetSigningKeys()], time.GetUtcNow());
            _current = snapshot;
            LogRefreshed(logger, issuer, snapshot.Keys.Count);
            return snapshot;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>HTTPS is required, except for an issuer on a loopback address (development and tests).</summary>
    private async Task<string> GetStringAsync(Uri url, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback)
        {
            throw new InvalidOperationException($"OIDC metadata must be fetched over HTTPS: {url}");
        }

        return await _http.GetStringAsync(url, cancellationToken);
    }

    /// <summary>Sends the authorization code to the token endpoint.</summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is not { } url || (url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback))
        {
            throw new InvalidOperationException($"The OIDC token endpoint must use HTTPS: {request.RequestUri}");
        }

        return await _http.SendAsync(request, cancellationToken);
    }

    public void Dispose()
    {
        _http.Dispose();
        _refreshing.Dispose();
    }

    [LoggerMessage(EventId = 1220, Level = LogLevel.Information, Message = "Fetched OIDC discovery and {KeyCount} signing keys from {Issuer}")]
    private static partial void LogRefreshed(ILogger logger, Uri issuer, int keyCount);
}
