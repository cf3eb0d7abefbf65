using System.Globalization;
using System.Net;
using YamlDotNet.RepresentationModel;

namespace Porthole.Hosting;

/// <summary>
/// Reads PORTHOLE_* settings: environment variables over the <c>--config FILE</c> (YAML or
/// JSON, flat keys: <c>PORTHOLE_PORT: 8090</c> or <c>port: 8090</c>) over defaults, then
/// validates them. Every error names the variable it concerns.
/// </summary>
public static partial class PortholeSettingsLoader
{
    private const string Prefix = "PORTHOLE_";
    private const string ServiceAccountToken = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    /// <summary>Loads from this process's command line and environment.</summary>
    public static PortholeSettingsResult Load(IReadOnlyList<string> args)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            env[(string)e.Key] = e.Value as string;
        }

        return Load(args, env, File.Exists(ServiceAccountToken));
    }

    /// <summary>Loads from the given command line and environment (tests pass their own).</summary>
    public static PortholeSettingsResult Load(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment, bool serviceAccountMounted = false)
    {
        var errors = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var demoFlag = false;

        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--demo":
                    demoFlag = true;
                    break;
                case "--config" when i + 1 < args.Count:
                    ReadFile(args[++i], values, errors);
                    break;
                case "--config":
                    errors.Add("--config: a file name is required");
                    break;
                default:
                    break;
            }
        }

        foreach (var (key, value) in environment)
        {
            if (key.StartsWith(Prefix, StringComparison.Ordinal) && value is not null)
            {
                values[key] = value;
            }
        }

        string? Get(string name) => values.TryGetValue(Prefix + name, out var v) && v.Length > 0 ? v : null;
        string? Env(string name) => environment.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;

        var inCluster = Env("KUBERNETES_SERVICE_HOST") is not null && serviceAccountMounted;
        var home = Env("HOME");
        var defaultKubeconfig = home is null ? null : Path.Combine(home, ".kube", "config");
        var kubeconfig = Get("KUBECONFIG") ?? Env("KUBECONFIG")?.Split(Path.PathSeparator)[0]
            ?? (defaultKubeconfig is not null && File.Exists(defaultKubeconfig) ? defaultKubeconfig : null);
        if (Get("KUBECONFIG") is { } explicitKubeconfig && !File.Exists(explicitKubeconfig))
        {
            errors.Add($"PORTHOLE_KUBECONFIG: file '{explicitKubeconfig}' does not exist");
        }

        var demo = demoFlag || (Get("DEMO") is { } d ? ParseBool("DEMO", d, errors) : !inCluster && kubeconfig is null);

        var options = new PortholeOptions
        {
            Port = Get("PORT") is { } p ? ParseInt("PORT", p, 0, 65535, errors) : 8090,
            Bind = Get("BIND") is { } b ? ParseAddress(b, errors) : inCluster ? IPAddress.Any : IPAddress.Loopback,
            Kubeconfig = kubeconfig,
            InCluster = inCluster,
            Demo = demo,
            DemoPods = Get("DEMO_PODS") is { } dp ? ParseInt("DEMO_PODS", dp, 0, 100_000, errors) : 0,
            DataDir = Get("DATA_DIR") ?? "./data",
            DatabaseUrl = Get("DATABASE_URL"),
            AuthMode = Get("AUTH_MODE") is { } m ? ParseAuthMode(m, errors) : AuthMode.None,
            UsersFile = Get("USERS_FILE"),
            SessionTtl = Get("SESSION_TTL") is { } ttl ? ParseDuration("SESSION_TTL", ttl, allowZero: false, errors) : TimeSpan.FromHours(8),
            SessionSecret = Get("SESSION_SECRET"),
            SessionSecretPrevious = Get("SESSION_SECRET_PREVIOUS"),
            AdminGroup = Get("ADMIN_GROUP") ?? "porthole-admins",
            Oidc = new OidcSettings
            {
                Issuer = Get("OIDC_ISSUER") is { } issuer ? ParseUrl("OIDC_ISSUER", issuer, errors) : null,
                ClientId = Get("OIDC_CLIENT_ID"),
                ClientSecret = Get("OIDC_CLIENT_SECRET"),
                UserClaim = Get("OIDC_USER_CLAIM") ?? "sub",
                GroupsClaim = Get("OIDC_GROUPS_CLAIM") ?? "groups",
                Scopes = Get("OIDC_SCOPES") ?? "openid profile email",
                RedirectUrl = Get("OIDC_REDIRECT_URL") is { } redirect ? ParseUrl("OIDC_REDIRECT_URL", redirect, errors) : null,
            },
            TrustedProxies = Get("TRUSTED_PROXIES") is { } proxies ? ParseNetworks(proxies, errors) : [],
            CorsOrigins = Get("CORS_ORIGINS") is { } origins ? ParseOrigins(origins, errors) : [],
            RateLimit = Get("RATE_LIMIT") is { } rl ? ParseInt("RATE_LIMIT", rl, 1, 1_000_000, errors) : 100,
            RateBurst = Get("RATE_BURST") is { } rb ? ParseInt("RATE_BURST", rb, 1, 1_000_000, errors) : 200,
            BodyLimit = Get("BODY_LIMIT") is { } bl ? ParseSize("BODY_LIMIT", bl, errors) : 1024 * 1024,
            RequestTimeout = Get("REQUEST_TIMEOUT") is { } rt ? ParseDuration("REQUEST_TIMEOUT", rt, allowZero: false, errors) : TimeSpan.FromSeconds(30),
            DrainTimeout = Get("DRAIN_TIMEOUT") is { } dt ? ParseDuration("DRAIN_TIMEOUT", dt, allowZero: true, errors) : TimeSpan.FromSeconds(25),
            TlsCert = Get("TLS_CERT"),
            TlsKey = Get("TLS_KEY"),
            ReadOnly = Get("READ_ONLY") is { } ro && ParseBool("READ_ONLY", ro, errors),
            BreakerFailures = Get("BREAKER_FAILURES") is { } bf ? ParseInt("BREAKER_FAILURES", bf, 2, 1000, errors) : 5,
            BreakerCooldown = Get("BREAKER_COOLDOWN") is { } bc ? ParseDuration("BREAKER_COOLDOWN", bc, allowZero: false, errors) : TimeSpan.FromSeconds(10),
            TerminalScript = Get("TERMINAL_SCRIPT") ?? "/init.sh",
            ShellIdTtl = Get("SHELL_ID_TTL") is { } sit ? ParseDuration("SHELL_ID_TTL", sit, allowZero: false, errors) : TimeSpan.FromSeconds(30),
            TerminalLifetime = Get("TERMINAL_LIFETIME") is { } tl ? ParseDuration("TERMINAL_LIFETIME", tl, allowZero: false, errors) : TimeSpan.FromHours(8),
            TerminalIdleTimeout = Get("TERMINAL_IDLE_TIMEOUT") is { } ti ? ParseDuration("TERMINAL_IDLE_TIMEOUT", ti, allowZero: true, errors) : TimeSpan.FromMinutes(30),
        };

        Validate(options, errors);
        return new PortholeSettingsResult(errors.Count == 0 ? options : null, errors);
    }

    private static void Validate(PortholeOptions options, List<string> errors)
    {
        if ((options.TlsCert is null) != (options.TlsKey is null))
        {
            errors.Add("PORTHOLE_TLS_CERT and PORTHOLE_TLS_KEY: set both or neither");
        }

        foreach (var (name, file) in new[] { ("TLS_CERT", options.TlsCert), ("TLS_KEY", options.TlsKey) })
        {
            if (file is not null && !File.Exists(file))
            {
                errors.Add($"PORTHOLE_{name}: file '{file}' does not exist");
            }
        }

        if (options.BreakerCooldown < TimeSpan.FromMilliseconds(500))
        {
            errors.Add($"PORTHOLE_BREAKER_COOLDOWN: {options.BreakerCooldown.TotalMilliseconds} ms is too short; use 500ms or more");
        }

        if (options.TerminalIdleTimeout > TimeSpan.Zero && options.TerminalIdleTimeout < TimeSpan.FromSeconds(10))
        {
            errors.Add($"PORTHOLE_TERMINAL_IDLE_TIMEOUT: {options.TerminalIdleTimeout.TotalSeconds} s is too short to type in; use 10s or more, or 0 to turn it off");
        }
        else if (options.TerminalIdleTimeout >= options.TerminalLifetime)
        {
            errors.Add($"PORTHOLE_TERMINAL_IDLE_TIMEOUT: it must be shorter than PORTHOLE_TERMINAL_LIFETIME ({options.TerminalLifetime}) to ever apply; use 0 to turn it off");
        }

        if (options.AuthMode == AuthMode.None && !IPAddress.IsLoopback(options.Bind))
        {
            errors.Add($"PORTHOLE_AUTH_MODE: 'none' is allowed only on a loopback bind, but PORTHOLE_BIND is {options.Bind}; choose local, token, oidc or proxy");
        }

        ValidateAuth(options, errors);
        ValidateDatabase(options, errors);
    }

    private static void ReadFile(string path, Dictionary<string, string> values, List<string> errors)
    {
        if (!File.Exists(path))
        {
            errors.Add($"--config: file '{path}' does not exist");
            return;
        }

        try
        {
            // YAML is a superset of JSON, so one parser reads both.
            var stream = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                stream.Load(reader);
            }

            if (stream.Documents.Count == 0)
            {
                return;
            }

            if (stream.Documents[0].RootNode is not YamlMappingNode map)
            {
                errors.Add($"--config: '{path}' must be a mapping of setting names to values");
                return;
            }

            foreach (var (keyNode, valueNode) in map.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value ?? "";
                var name = key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? key.ToUpperInvariant()
                    : Prefix + key.Replace('-', '_').ToUpperInvariant();
                values[name] = valueNode switch
                {
                    YamlScalarNode s => s.Value ?? "",
                    YamlSequenceNode seq => string.Join(',', seq.Children.OfType<YamlScalarNode>().Select(c => c.Value)),
                    _ => "",
                };
            }
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidCastException or IOException)
        {
            errors.Add($"--config: cannot read '{path}': {e.Message}");
        }
    }

    private static int ParseInt(string name, string value, int min, int max, List<string> errors)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        errors.Add($"PORTHOLE_{name}: '{value}' is not a whole number from {min} to {max}");
        return min;
    }

    private static bool ParseBool(string name, string value, List<string> errors)
    {
        switch (value.ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on":
                return true;
            case "false" or "0" or "no" or "off":
                return false;
            default:
                errors.Add($"PORTHOLE_{name}: '{value}' is not true or false");
                return false;
        }
    }

    private static IPAddress ParseAddress(string value, List<string> errors)
    {
        if (value == "localhost")
        {
            return IPAddress.Loopback;
        }

        if (IPAddress.TryParse(value, out var address))
        {
            return address;
        }

        errors.Add($"PORTHOLE_BIND: '{value}' is not an IP address (e.g. 127.0.0.1 or 0.0.0.0)");
        return IPAddress.Loopback;
    }

    private static AuthMode ParseAuthMode(string value, List<string> errors)
    {
        if (Enum.TryParse<AuthMode>(value, ignoreCase: true, out var mode) && !int.TryParse(value, out _))
        {
            return mode;
        }

        errors.Add($"PORTHOLE_AUTH_MODE: '{value}' is not one of none, local, token, oidc, proxy");
        return AuthMode.None;
    }

    /// <summary>Durations: <c>30s</c>, <c>500ms</c>, <c>5m</c>, <c>8h</c>, or plain seconds.</summary>
    internal static TimeSpan ParseDuration(string name, string value, bool allowZero, List<string> errors)
    {
        var v = value.Trim();
        (string number, double scale) = v switch
        {
            _ when v.EndsWith("ms", StringComparison.Ordinal) => (v[..^2], 0.001),
            _ when v.EndsWith('s') => (v[..^1], 1),
            _ when v.EndsWith('m') => (v[..^1], 60),
            _ when v.EndsWith('h') => (v[..^1], 3600),
            _ => (v, 1),
        };
        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)
            && (n > 0 || (allowZero && n == 0)) && n * scale <= TimeSpan.FromDays(365).TotalSeconds)
        {
            return TimeSpan.FromSeconds(n * scale);
        }

        errors.Add($"PORTHOLE_{name}: '{value}' is not a {(allowZero ? "" : "positive ")}duration such as 30s, 500ms, 5m or 8h");
        return TimeSpan.FromSeconds(1);
    }

    /// <summary>Sizes: <c>1MiB</c>, <c>512KiB</c>, <c>1MB</c>, <c>1048576</c>.</summary>
    internal static long ParseSize(string name, string value, List<string> errors)
    {
        var v = value.Trim();
        long scale = 1;
        foreach (var (suffix, s) in new (string, long)[] { ("KiB", 1024), ("MiB", 1024 * 1024), ("GiB", 1024 * 1024 * 1024), ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1) })
        {
            if (v.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                v = v[..^suffix.Length].Trim();
                scale = s;
                break;
            }
        }

        if (long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n <= long.MaxValue / scale)
        {
            return n * scale;
        }

        errors.Add($"PORTHOLE_{name}: '{value}' is not a positive size such as 1MiB, 512KiB or 1048576");
        return 1;
    }

    private static Uri? ParseUrl(string name, string value, List<string> errors)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == "https" || uri.Scheme == "http"))
        {
            return uri;
        }

        errors.Add($"PORTHOLE_{name}: '{value}' is not an http(s) URL");
        return null;
    }

    /// <summary>CIDRs (<c>10.0.0.0/8</c>) or single addresses, comma-separated.</summary>
    private static IPNetwork[] ParseNetworks(string value, List<string> errors)
    {
        var networks = new List<IPNetwork>();
        foreach (var item in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(item, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(item, out var address))
            {
                networks.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                errors.Add($"PORTHOLE_TRUSTED_PROXIES: '{item}' is not a CIDR such as 10.0.0.0/8 or an IP address");
            }
        }

        return [.. networks];
    }

    private static string[] ParseOrigins(string value, List<string> errors)
    {
        var origins = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var origin in origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https")
                || uri.PathAndQuery != "/" || origin.EndsWith('/'))
            {
                errors.Add($"PORTHOLE_CORS_ORIGINS: '{origin}' is not an origin such as https://console.example.com");
            }
        }

        return origins;
    }
}

/// <summary>Validated options, or the errors that prevent start.</summary>
public sealed record PortholeSettingsResult(PortholeOptions? Options, IReadOnlyList<string> Errors);
