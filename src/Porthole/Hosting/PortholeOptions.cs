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

    public string DataDir { get; init; } = "./data";

    public AuthMode AuthMode { get; init; } = AuthMode.None;

    public string? UsersFile { get; init; }

    public TimeSpan SessionTtl { get; init; } = TimeSpan.FromHours(8);

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

    public bool Tls => TlsCert is not null;
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
