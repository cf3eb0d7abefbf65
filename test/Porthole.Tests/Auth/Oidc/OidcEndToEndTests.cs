using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Time.Testing;
using Porthole.Auth.Oidc;
using Porthole.Auth.Sessions;
using Porthole.Auth.Tokens;
using Porthole.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Porthole.Tests.Auth.Oidc;

public sealed class OidcEndToEndTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestOidcIssuer _issuer = null!;
    private PortholeTestHost _porthole = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestOidcIssuer.StartAsync(_time);
        _porthole = await PortholeTestHost.StartAsync(time: _time, options: new PortholeOptions
        {
            AuthMode = AuthMode.Oidc,
            Oidc = new OidcSettings
            {
                Issuer = _issuer.Issuer,
                ClientId = TestOidcIssuer.ClientId,
                ClientSecret = TestOidcIssuer.ClientSecret,
                UserClaim = "email",
            },
        });
    }

    public async Task DisposeAsync()
    {
        await _porthole.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    /// <summary>Start → issuer's authorize → Porthole's callback, as a browser follows redirects (cookies kept).</summary>
    private async Task<HttpResponseMessage> SignInAsync(AuthTestClient browser, Func<Uri, Uri>? tamperCallback = null)
    {
        using var start = await browser.Http.GetAsync("/api/v1/auth/oidc/start?returnTo=/clusters/demo/pods");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith(_issuer.Issuer.AbsoluteUri + "authorize?", authorize.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(new Uri(_porthole.Url, OidcFlow.CallbackPath).AbsoluteUri, query["redirect_uri"]);
        Assert.Contains("samesite=lax", start.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(OidcFlow.FlowCookie, StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);

        using var atIssuer = await browser.Http.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, atIssuer.StatusCode);
        var callback = atIssuer.Headers.Location!;
        return await browser.Http.GetAsync(tamperCallback?.Invoke(callback) ?? callback);
    }

    [Fact]
    public async Task SignIn_BrowserRedirectDance_SessionWithConfiguredClaims()
    {
        using var browser = new AuthTestClient(_porthole.Url);

        using var callback = await SignInAsync(browser);

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/clusters/demo/pods", callback.Headers.Location!.OriginalString);
        Assert.NotNull(browser.Cookies.GetCookies(_porthole.Url)[SessionCookies.Name]);
        Assert.Equal(1, _issuer.TokenRequests);
        var me = await browser.Http.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");
        Assert.Equal("alice@example.com", me.GetProperty("user").GetString());
        Assert.Equal(["team-a", "porthole-admins"], me.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal("oidc", me.GetProperty("mode").GetString());

        using var logout = await browser.Http.PostAsync("/api/v1/auth/logout", null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Callback_StateTampered_401AndNoSession()
    {
        using var browser = new AuthTestClient(_porthole.Url);

        using var callback = await SignInAsync(browser, uri => new Uri(uri.AbsoluteUri.Replace("state=", "state=x", StringComparison.Ordinal)));

        await ProblemJson.AssertProblemAsync(callback, 401, "oidc_state_mismatch");
        Assert.Null(browser.Cookies.GetCookies(_porthole.Url)[SessionCookies.Name]);
        Assert.Equal(0, _issuer.TokenRequests);
    }

    [Fact]
    public async Task Callback_WithoutFlowCookie_401()
    {
        using var browser = new AuthTestClient(_porthole.Url);
        using var other = new AuthTestClient(_porthole.Url);

        using var start = await browser.Http.GetAsync("/api/v1/auth/oidc/start");
        using var atIssuer = await browser.Http.GetAsync(start.Headers.Location!);

        using var replayed = await other.Http.GetAsync(atIssuer.Headers.Location!);
        await ProblemJson.AssertProblemAsync(replayed, 401, "oidc_flow_expired");
    }

    [Fact]
    public async Task Callback_IdTokenNonceMismatch_401()
    {
        _issuer.NonceOverride = "someone-elses-nonce";
        using var browser = new AuthTestClient(_porthole.Url);

        using var callback = await SignInAsync(browser);

        await ProblemJson.AssertProblemAsync(callback, 401, "oidc_invalid_token");
        Assert.Null(browser.Cookies.GetCookies(_porthole.Url)[SessionCookies.Name]);
    }

    [Fact]
    public async Task Bearer_ValidIdToken_AuthenticatedAndCsrfExempt()
    {
        using var client = _porthole.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _issuer.Sign("bob@example.com", ["ops"]));

        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");
        using var put = await client.PutAsJsonAsync("/api/v1/me/preferences", new { theme = "dark" });

        Assert.Equal("bob@example.com", me.GetProperty("user").GetString());
        Assert.Equal(["ops"], me.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    [Fact]
    public async Task Bearer_GroupWithControlCharacter_403NamingTheGroupNeverImpersonated()
    {
        using var client = _porthole.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _issuer.Sign("bob@example.com", ["ops", "line\nbreak"]));

        using var me = await client.GetAsync("/api/v1/auth/me");

        var problem = await ProblemJson.AssertProblemAsync(me, 403, "identity_not_impersonable");
        Assert.Contains("group \"line\\u000Abreak\" of user \"bob@example.com\" cannot be passed to Kubernetes: it contains the control character U+000A", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-audience")]
    [InlineData("expired")]
    [InlineData("foreign-key")]
    [InlineData("garbage")]
    public async Task Bearer_InvalidIdToken_401(string kind)
    {
        var token = kind switch
        {
            "wrong-audience" => _issuer.Sign("bob", [], audience: "someone-else"),
            "expired" => _issuer.Sign("bob", [], lifetime: TimeSpan.FromSeconds(10)),
            "foreign-key" => _issuer.Sign("bob", [], key: new Microsoft.IdentityModel.Tokens.RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)) { KeyId = _issuer.Key.KeyId }),
            _ => "not-a-jwt",
        };
        if (kind == "expired")
        {
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        using var client = _porthole.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var me = await client.GetAsync("/api/v1/auth/me");
        await ProblemJson.AssertProblemAsync(me, 401, "invalid_token");
    }

    [Fact]
    public async Task Bearer_IssuerRotatesKey_NewKeyFetchedOldKeyRefused()
    {
        using var client = _porthole.Client();
        async Task<HttpStatusCode> MeAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        var oldKey = _issuer.Key;
        Assert.Equal(HttpStatusCode.OK, await MeAsync(_issuer.Sign("bob", [])));
        Assert.Equal(1, _issuer.JwksRequests);

        _issuer.RotateKey();
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(_issuer.Sign("carol", [])));
        Assert.Equal(1, _issuer.JwksRequests); // refetch for an unknown key is rate limited (10 s)

        _time.Advance(OidcMetadata.MinimumRefreshInterval);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(_issuer.Sign("carol", [])));
        Assert.Equal(2, _issuer.JwksRequests);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(_issuer.Sign("dave", [], key: oldKey)));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(_issuer.Sign("erin", [])));
        Assert.Equal(2, _issuer.JwksRequests);
    }

    [Fact]
    public async Task Bearer_SameTokenTwice_CachedOnceThenCleanedUpAfterAMinute()
    {
        var cache = _porthole.App.Services.GetRequiredService<ValidatedTokenCache>();
        using var client = _porthole.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _issuer.Sign("bob", ["ops"]));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(1, cache.Count);

        _time.Advance(ValidatedTokenCache.Ttl); // the 30 s cleanup runs twice meanwhile
        Assert.Equal(0, cache.Count);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(1, cache.Count);
    }
}
