using System.Net;
using Porthole.Hosting;

namespace Porthole.Tests.Hosting;

public sealed class PortholeSettingsLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("porthole-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string?> Env(params (string Key, string Value)[] values)
    {
        var env = new Dictionary<string, string?> { ["HOME"] = _dir };
        foreach (var (key, value) in values)
        {
            env[key] = value;
        }

        return env;
    }

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Load_NothingSet_DesignDefaultsAndDemo()
    {
        var result = PortholeSettingsLoader.Load([], Env());

        Assert.Empty(result.Errors);
        var o = result.Options!;
        Assert.Equal(8090, o.Port);
        Assert.Equal(IPAddress.Loopback, o.Bind);
        Assert.True(o.Demo);
        Assert.Null(o.Kubeconfig);
        Assert.Equal(AuthMode.None, o.AuthMode);
        Assert.Equal("./data", o.DataDir);
        Assert.Equal(100, o.RateLimit);
        Assert.Equal(200, o.RateBurst);
        Assert.Equal(1024 * 1024, o.BodyLimit);
        Assert.Equal(TimeSpan.FromSeconds(30), o.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(25), o.DrainTimeout);
        Assert.Equal(TimeSpan.FromHours(8), o.SessionTtl);
        Assert.Empty(o.CorsOrigins);
        Assert.False(o.ReadOnly);
        Assert.False(o.Tls);
        Assert.Equal((TimeSpan.FromHours(8), TimeSpan.FromMinutes(30)), (o.TerminalLifetime, o.TerminalIdleTimeout));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("45m", 45 * 60)]
    [InlineData("90", 90)]
    public void Load_TerminalIdleTimeout_ZeroTurnsItOff(string value, int seconds)
    {
        var result = PortholeSettingsLoader.Load([], Env(("PORTHOLE_TERMINAL_IDLE_TIMEOUT", value)));

        Assert.Empty(result.Errors);
        Assert.Equal(TimeSpan.FromSeconds(seconds), result.Options!.TerminalIdleTimeout);
    }

    [Fact]
    public void Load_YamlFileAndEnvironment_EnvironmentWinsOverFileOverDefaults()
    {
        var file = WriteFile("porthole.yaml", """
            port: 9000
            rate-limit: 5
            PORTHOLE_BODY_LIMIT: 2MiB
            cors_origins: [https://a.example, https://b.example]
            breaker-cooldown: 3s
            """);

        var result = PortholeSettingsLoader.Load(["--config", file], Env(("PORTHOLE_PORT", "9100"), ("PORTHOLE_BREAKER_FAILURES", "8")));

        Assert.Empty(result.Errors);
        Assert.Equal(9100, result.Options!.Port);
        Assert.Equal(5, result.Options.RateLimit);
        Assert.Equal(2 * 1024 * 1024, result.Options.BodyLimit);
        Assert.Equal(["https://a.example", "https://b.example"], result.Options.CorsOrigins);
        Assert.Equal(200, result.Options.RateBurst);
        Assert.Equal(TimeSpan.FromSeconds(3), result.Options.BreakerCooldown);
        Assert.Equal(8, result.Options.BreakerFailures);
    }

    [Fact]
    public void Load_JsonFile_Read()
    {
        var file = WriteFile("porthole.json", """{"PORTHOLE_REQUEST_TIMEOUT": "45s", "drain-timeout": "10", "read-only": true}""");

        var result = PortholeSettingsLoader.Load(["--config", file], Env());

        Assert.Empty(result.Errors);
        Assert.Equal(TimeSpan.FromSeconds(45), result.Options!.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), result.Options.DrainTimeout);
        Assert.True(result.Options.ReadOnly);
    }

    [Theory]
    [InlineData("PORTHOLE_PORT", "eighty")]
    [InlineData("PORTHOLE_PORT", "70000")]
    [InlineData("PORTHOLE_BIND", "not-an-ip")]
    [InlineData("PORTHOLE_AUTH_MODE", "magic")]
    [InlineData("PORTHOLE_RATE_LIMIT", "0")]
    [InlineData("PORTHOLE_RATE_BURST", "-3")]
    [InlineData("PORTHOLE_BODY_LIMIT", "lots")]
    [InlineData("PORTHOLE_REQUEST_TIMEOUT", "soon")]
    [InlineData("PORTHOLE_DRAIN_TIMEOUT", "-1s")]
    [InlineData("PORTHOLE_SESSION_TTL", "0")]
    [InlineData("PORTHOLE_DEMO", "maybe")]
    [InlineData("PORTHOLE_READ_ONLY", "sometimes")]
    [InlineData("PORTHOLE_CORS_ORIGINS", "console.example/path")]
    [InlineData("PORTHOLE_KUBECONFIG", "/nonexistent/kubeconfig")]
    [InlineData("PORTHOLE_TLS_CERT", "/nonexistent/cert.pem")]
    [InlineData("PORTHOLE_BREAKER_FAILURES", "1")]
    [InlineData("PORTHOLE_BREAKER_COOLDOWN", "100ms")]
    [InlineData("PORTHOLE_TRUSTED_PROXIES", "10.0.0.0/8,not-a-network")]
    [InlineData("PORTHOLE_SESSION_SECRET", "too-short")]
    [InlineData("PORTHOLE_OIDC_ISSUER", "ftp://idp.example")]
    [InlineData("PORTHOLE_TERMINAL_IDLE_TIMEOUT", "later")]
    [InlineData("PORTHOLE_TERMINAL_IDLE_TIMEOUT", "2s")]
    [InlineData("PORTHOLE_TERMINAL_IDLE_TIMEOUT", "9h")]
    public void Load_BadValue_ErrorNamesTheVariable(string variable, string value)
    {
        var result = PortholeSettingsLoader.Load([], Env((variable, value)));

        Assert.Null(result.Options);
        Assert.Contains(result.Errors, e => e.StartsWith(variable, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_AuthNoneOnNonLoopbackBind_Refused()
    {
        var result = PortholeSettingsLoader.Load([], Env(("PORTHOLE_BIND", "0.0.0.0")));

        Assert.Null(result.Options);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("PORTHOLE_AUTH_MODE", error, StringComparison.Ordinal);
        Assert.Contains("loopback", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InPod_BindsAllInterfacesSoAuthNoneIsRefused()
    {
        var result = PortholeSettingsLoader.Load([], Env(("KUBERNETES_SERVICE_HOST", "10.0.0.1")), serviceAccountMounted: true);

        Assert.Null(result.Options);
        Assert.Contains(result.Errors, e => e.StartsWith("PORTHOLE_AUTH_MODE", StringComparison.Ordinal) && e.Contains("0.0.0.0", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_KubeconfigFromEnvironmentOrHome_NotDemoUnlessForced()
    {
        var kubeconfig = WriteFile("kc", "apiVersion: v1\nkind: Config\n");
        Directory.CreateDirectory(Path.Combine(_dir, ".kube"));
        var home = WriteFile(".kube/config", "apiVersion: v1\nkind: Config\n");

        var fromPorthole = PortholeSettingsLoader.Load([], Env(("PORTHOLE_KUBECONFIG", kubeconfig), ("KUBECONFIG", "/other")));
        var fromHome = PortholeSettingsLoader.Load([], Env());
        var forced = PortholeSettingsLoader.Load(["--demo"], Env(("PORTHOLE_KUBECONFIG", kubeconfig)));

        Assert.Equal(kubeconfig, fromPorthole.Options!.Kubeconfig);
        Assert.False(fromPorthole.Options.Demo);
        Assert.Equal(home, fromHome.Options!.Kubeconfig);
        Assert.False(fromHome.Options.Demo);
        Assert.True(forced.Options!.Demo);
    }

    [Fact]
    public void Load_MissingConfigFile_ErrorNamesTheFlag()
    {
        var result = PortholeSettingsLoader.Load(["--config", Path.Combine(_dir, "missing.yaml")], Env());

        Assert.Null(result.Options);
        Assert.StartsWith("--config", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("local", "PORTHOLE_USERS_FILE")]
    [InlineData("oidc", "PORTHOLE_OIDC_ISSUER")]
    [InlineData("oidc", "PORTHOLE_OIDC_CLIENT_ID")]
    [InlineData("proxy", "PORTHOLE_TRUSTED_PROXIES")]
    public void Load_AuthModeWithoutWhatItNeeds_ErrorNamesTheMissingVariable(string mode, string variable)
    {
        var result = PortholeSettingsLoader.Load([], Env(("PORTHOLE_AUTH_MODE", mode), ("PORTHOLE_BIND", "0.0.0.0")));

        Assert.Null(result.Options);
        Assert.Contains(result.Errors, e => e.StartsWith(variable, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UsersFileWithBadHash_ErrorNamesFileAndUser()
    {
        var users = WriteFile("users.yaml", "users:\n- username: alice\n  passwordHash: plaintext\n  groups: [a]\n");

        var result = PortholeSettingsLoader.Load([], Env(("PORTHOLE_AUTH_MODE", "local"), ("PORTHOLE_USERS_FILE", users)));

        Assert.Null(result.Options);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("PORTHOLE_USERS_FILE", error, StringComparison.Ordinal);
        Assert.Contains("(alice)", error, StringComparison.Ordinal);
        Assert.Contains("hash-password", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UsersFileWithControlCharacterInGroup_ErrorNamesUserAndGroup()
    {
        var users = WriteFile("users.yaml", $"users:\n- username: alice\n  passwordHash: \"{Porthole.Auth.Local.PasswordHasher.Hash("pw")}\"\n  groups: [ok, \"bell\\agroup\"]\n");

        var result = PortholeSettingsLoader.Load([], Env(("PORTHOLE_AUTH_MODE", "local"), ("PORTHOLE_USERS_FILE", users)));

        Assert.Null(result.Options);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("PORTHOLE_USERS_FILE", error, StringComparison.Ordinal);
        Assert.Contains("users[0]: group \"bell\\u0007group\" of user \"alice\" cannot be passed to Kubernetes: it contains the control character U+0007", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OidcAndProxySettings_Parsed()
    {
        var oidc = PortholeSettingsLoader.Load([], Env(
            ("PORTHOLE_AUTH_MODE", "oidc"), ("PORTHOLE_BIND", "0.0.0.0"), ("PORTHOLE_OIDC_ISSUER", "https://idp.example/realms/k8s"),
            ("PORTHOLE_OIDC_CLIENT_ID", "porthole"), ("PORTHOLE_OIDC_CLIENT_SECRET", "s3cret"), ("PORTHOLE_OIDC_USER_CLAIM", "email"),
            ("PORTHOLE_OIDC_GROUPS_CLAIM", "roles"), ("PORTHOLE_ADMIN_GROUP", "ops")));
        var proxy = PortholeSettingsLoader.Load([], Env(
            ("PORTHOLE_AUTH_MODE", "proxy"), ("PORTHOLE_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7, fd00::/8")));

        Assert.Empty(oidc.Errors);
        Assert.Equal(("https://idp.example/realms/k8s", "porthole", "email", "roles", "ops"),
            (oidc.Options!.Oidc.Issuer!.AbsoluteUri, oidc.Options.Oidc.ClientId, oidc.Options.Oidc.UserClaim, oidc.Options.Oidc.GroupsClaim, oidc.Options.AdminGroup));
        Assert.Empty(proxy.Errors);
        Assert.Equal(["10.0.0.0/8", "192.168.1.7/32", "fd00::/8"], proxy.Options!.TrustedProxies.Select(n => n.ToString()));
    }
}
