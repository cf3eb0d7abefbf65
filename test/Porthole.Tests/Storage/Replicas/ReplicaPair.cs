using System.Net;
using System.Security.Cryptography;
using Porthole.KubeSim.Hosting;
using Porthole.Tests.Auth;
using Porthole.Tests.Storage.Postgres;
using Porthole.Tests.Terminal;

namespace Porthole.Tests.Storage.Replicas;

/// <summary>
/// Two replicas as a cluster would run them: the built <c>porthole</c> executable started twice
/// as child processes (each with a data dir of its own, as pods with emptyDir volumes), on one
/// PostgreSQL database (a real server, <see cref="PostgresServer"/>) and one KubeSim, with one
/// PORTHOLE_SESSION_SECRET, auth mode local. <see cref="RestartAsync"/> replaces both processes.
/// </summary>
public sealed class ReplicaPair : IAsyncLifetime
{
    public const string Shell = "/api/v1/sim-porthole/namespace/default/pod/web-1/shell/nginx";

    private readonly TempDir _dir = new();
    private readonly string _secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    private SimServer _sim = null!;
    private string _kubeconfig = "";
    private string _users = "";

    public PostgresServer Postgres { get; } = new();

    public string DatabaseUrl { get; private set; } = "";

    public PortholeProcess A { get; private set; } = null!;

    public PortholeProcess B { get; private set; } = null!;

    public Uri UrlA { get; private set; } = null!;

    public Uri UrlB { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        DatabaseUrl = await Postgres.CreateDatabaseAsync();
        _sim = await SimServer.StartAsync(new KubeSimOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) });
        await TerminalPods.CreateAsync(_sim);
        _kubeconfig = Path.Combine(_dir.Path, "kubeconfig");
        await File.WriteAllTextAsync(_kubeconfig, _sim.Kubeconfig.Replace("current-context: sim-admin", "current-context: sim-porthole", StringComparison.Ordinal));
        _users = LocalUsersFile.Write(_dir.Path, ("ops1", "ops1-password", ["system:masters"]), ("ops2", "ops2-password", ["system:masters"]));
        await StartBothAsync();
    }

    /// <summary>Stops both processes (SIGTERM, drained) and starts two new ones with fresh data dirs.</summary>
    public async Task RestartAsync()
    {
        var (a, b) = (A, B);
        (A, B) = (null!, null!);
        await StopAsync(a);
        await StopAsync(b);
        await StartBothAsync();
    }

    /// <summary>A signed-in browser-like client on <paramref name="url"/>.</summary>
    public async Task<AuthTestClient> SignInAsync(Uri url, string user, string? password = null)
    {
        var client = new AuthTestClient(url);
        using var login = await client.LoginAsync(user, password ?? user + "-password");
        Assert.True(login.IsSuccessStatusCode, $"login {user} on {url}: {login.StatusCode} {await login.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>A client on <paramref name="url"/> that sends <paramref name="signedIn"/>'s cookies (cookies do not care about ports).</summary>
    public static HttpClient SameCookies(AuthTestClient signedIn, Uri url)
    {
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = signedIn.Cookies, UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = url,
            Timeout = TimeSpan.FromMinutes(2),
        };
        http.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
        return http;
    }

    /// <summary>Both processes' logs.</summary>
    public string Logs => $"A:\n{A.Log}\nB:\n{B.Log}";

    public async Task DisposeAsync()
    {
        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (_sim is not null)
        {
            await _sim.DisposeAsync();
        }

        await Postgres.DisposeAsync();
        _dir.Dispose();
    }

    private async Task StartBothAsync()
    {
        A = Start();
        B = Start();
        UrlA = await A.ListeningAsync();
        UrlB = await B.ListeningAsync();
    }

    private PortholeProcess Start() => new(new Dictionary<string, string>
    {
        ["PORTHOLE_AUTH_MODE"] = "local",
        ["PORTHOLE_USERS_FILE"] = _users,
        ["PORTHOLE_KUBECONFIG"] = _kubeconfig,
        ["PORTHOLE_DATABASE_URL"] = DatabaseUrl,
        ["PORTHOLE_SESSION_SECRET"] = _secret,
        ["PORTHOLE_SHELL_ID_TTL"] = "5m",
    });

    private static async Task StopAsync(PortholeProcess process)
    {
        await process.SignalAsync();
        await process.ExitAsync(TimeSpan.FromMinutes(1));
        await process.DisposeAsync();
    }
}
