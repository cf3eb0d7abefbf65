using System.Net;

namespace Porthole.Hosting;

/// <summary>
/// The validated settings of one Porthole process. Built once at start by
/// <see cref="PortholeSettingsLoader"/> from PORTHOLE_* variables over <c>--config FILE</c> over
/// defaults; the variable names are those of DESIGN.md's table.
/// </summary>
public sealed record PortholeOptions
{
    public int Port { get; init; } = 8090;

    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>The kubeconfig file to read clusters from; null when none is configured.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>True when the pod's service account is mounted (KUBERNETES_SERVICE_HOST and a token).</summary>
    public bool InCluster { get; init; }

    /// <summary>Start the built-in KubeSim cluster in-process and use it.</summary>
    public bool Demo { get; init; }

    /// <summary>PORTHOLE_DEMO_PODS: extra bare pods the demo cluster creates in namespace "load" (load and first-render benchmarks).</summary>
    public int DemoPods { get; init; }

    public string DataDir { get; init; } = "./data";

    /// <summary>
    /// PORTHOLE_DATABASE_URL: null keeps the store in SQLite at {DataDir}/porthole.db; a
    /// postgres:// URL or an Npgsql key/value string puts it in PostgreSQL, shared by replicas.
    /// It carries the database password: never log it (the store logs host:port/database).
    /// </summary>
    public string? DatabaseUrl { get; init; }

    public AuthMode AuthMode { get; init; } = AuthMode.None;

    public string? UsersFile { get; init; }

    public TimeSpan SessionTtl { get; init; } = TimeSpan.FromHours(8);

    /// <summary>PORTHOLE_SESSION_SECRET: signs session cookies; null means generated and kept in the data dir.</summary>
    public string? SessionSecret { get; init; }

    /// <summary>PORTHOLE_SESSION_SECRET_PREVIOUS: still verifies cookies (never signs) while a rotation settles.</summary>
    public string? SessionSecretPrevious { get; init; }

    /// <summary>Members of this group may read the audit log (PORTHOLE_ADMIN_GROUP).</summary>
    public string AdminGroup { get; init; } = "porthole-admins";

    public OidcSettings Oidc { get; init; } = new();

    /// <summary>Addresses allowed to send X-Forwarded-User/Groups in proxy mode (PORTHOLE_TRUSTED_PROXIES).</summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    public int RateLimit { get; init; } = 100;

    public int RateBurst { get; init; } = 200;

    public long BodyLimit { get; init; } = 1024 * 1024;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(25);

    public string? TlsCert { get; init; }

    public string? TlsKey { get; init; }

    public bool ReadOnly { get; init; }

    /// <summary>Calls within <see cref="BreakerWindow"/> before a cluster's circuit may open (half or more failed).</summary>
    public int BreakerFailures { get; init; } = 5;

    /// <summary>How long an open circuit refuses calls before one probe may try again.</summary>
    public TimeSpan BreakerCooldown { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The sampling window of the circuit breaker.</summary>
    public TimeSpan BreakerWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>kubecube's init script: with user/uid/auth the shell command is [script, -u, user, -i, uid, -a, auth].</summary>
    public string TerminalScript { get; init; } = "/init.sh";

    /// <summary>How long a shell session id from the kubecube shell API may wait for its bind.</summary>
    public TimeSpan ShellIdTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a terminal may stay open; a toast warns before the end.</summary>
    public TimeSpan TerminalLifetime { get; init; } = TimeSpan.FromHours(8);

    /// <summary>A terminal without user input for this long is closed (a toast warns before); zero: never.</summary>
    public TimeSpan TerminalIdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    public bool Tls => TlsCert is not null;
}

/// <summary>PORTHOLE_OIDC_*: the identity provider of auth mode oidc.</summary>
public sealed record OidcSettings
{
    /// <summary>The issuer URL; its /.well-known/openid-configuration is read at start and refreshed.</summary>
    public Uri? Issuer { get; init; }

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    /// <summary>The claim naming the user (PORTHOLE_OIDC_USER_CLAIM, default sub as in the API server).</summary>
    public string UserClaim { get; init; } = "sub";

    public string GroupsClaim { get; init; } = "groups";

    public string Scopes { get; init; } = "openid profile email";

    /// <summary>The callback URL registered at the provider; null means derived from the request's host.</summary>
    public Uri? RedirectUrl { get; init; }
}

/// <summary>How users sign in (PORTHOLE_AUTH_MODE).</summary>
public enum AuthMode
{
    None,
    Local,
    Token,
    Oidc,
    Proxy,
}
