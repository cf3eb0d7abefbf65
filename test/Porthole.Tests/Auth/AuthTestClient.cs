using System.Net;
using System.Net.Http.Json;
using Porthole.Auth.Local;
using Porthole.Hosting;

namespace Porthole.Tests.Auth;

/// <summary>A browser-like client: keeps cookies, follows no redirects, sends X-Requested-With.</summary>
public sealed class AuthTestClient : IDisposable
{
    public AuthTestClient(Uri baseAddress)
    {
        Http = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };
        Http.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    public Task<HttpResponseMessage> LoginAsync(string username, string password) =>
        Http.PostAsJsonAsync("/api/v1/auth/login", new { username, password });

    public void Dispose() => Http.Dispose();
}

/// <summary>A users file for auth mode local (hashes made once per test run: PBKDF2 is slow on purpose).</summary>
public static class LocalUsersFile
{
    private static readonly Lazy<string> AliceHash = new(() => PasswordHasher.Hash("alice-password"));
    private static readonly Lazy<string> AdminHash = new(() => PasswordHasher.Hash("admin-password"));

    /// <summary>Auth mode local with this file, data in {dir}/data.</summary>
    public static PortholeOptions Options(string dir) => new()
    {
        AuthMode = AuthMode.Local,
        UsersFile = Write(dir),
        DataDir = Path.Combine(dir, "data"),
    };

    public static string Write(string dir, params (string User, string Password, string[] Groups)[] extra)
    {
        var path = Path.Combine(dir, "users.yaml");
        var lines = new List<string>
        {
            "users:",
            $"- username: alice\n  passwordHash: \"{AliceHash.Value}\"\n  groups: [team-a, devs]",
            $"- username: root\n  passwordHash: \"{AdminHash.Value}\"\n  groups: [porthole-admins]",
        };
        lines.AddRange(extra.Select(u => $"- username: {u.User}\n  passwordHash: \"{PasswordHasher.Hash(u.Password)}\"\n  groups: [{string.Join(", ", u.Groups)}]"));
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }
}
