using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Porthole.Auth.Sessions;
using Porthole.Hosting;
using Porthole.Pipeline;

namespace Porthole.Auth.Oidc;

/// <summary>
/// The browser sign-in of auth mode oidc: authorization code flow with PKCE (S256), state and
/// nonce. <c>/oidc/start</c> redirects to the issuer with a signed flow cookie (SameSite=Lax, so
/// it comes back on the issuer's top-level redirect); <c>/oidc/callback</c> checks the state,
/// exchanges the code, validates the ID token and its nonce, starts a session and redirects to
/// the page the user came from.
/// </summary>
public sealed partial class OidcFlow(
    PortholeOptions options, OidcMetadata metadata, OidcTokenValidator validator, SessionManager sessions,
    SessionSecrets secrets, Porthole.Storage.PortholeStore store, TimeProvider time, ILogger<OidcFlow> logger)
{
    public const string FlowCookie = "porthole_oidc";
    public const string CallbackPath = "/api/v1/auth/oidc/callback";
    private static readonly TimeSpan FlowLifetime = TimeSpan.FromMinutes(10);
    private readonly CookieSigner _signer = new(secrets, "oidc-flow");

    public async Task<IResult> StartAsync(HttpContext context, string? returnTo)
    {
        var snapshot = await metadata.GetAsync(context.RequestAborted);
        var state = new OidcFlowState(Random(), Random(), Random(48), SafeReturnTo(returnTo), time.GetUtcNow().Add(FlowLifetime).ToUnixTimeSeconds());
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(state.Verifier)));
        var url = QueryHelpers.AddQueryString(snapshot.Configuration.AuthorizationEndpoint, new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = options.Oidc.ClientId,
            ["redirect_uri"] = RedirectUri(context),
            ["scope"] = options.Oidc.Scopes,
            ["state"] = state.State,
            ["nonce"] = state.Nonce,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        });
        context.Response.Cookies.Append(FlowCookie, _signer.Sign(JsonSerializer.SerializeToUtf8Bytes(state, SessionJsonContext.Default.OidcFlowState)), FlowCookieOptions(context));
        return Results.Redirect(url);
    }

    public async Task<IResult> CallbackAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["error"].ToString() is { Length: > 0 } error)
        {
            return Failed(context, "oidc_error", $"The identity provider answered: {error} {query["error_description"]}".Trim());
        }

        var flow = ReadFlow(context);
        if (flow is null || flow.ExpiresAt <= time.GetUtcNow().ToUnixTimeSeconds())
        {
            return Failed(context, "oidc_flow_expired", "The sign-in was not started here or took more than 10 minutes; start again.");
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(query["state"].ToString()), Encoding.UTF8.GetBytes(flow.State)))
        {
            return Failed(context, "oidc_state_mismatch", "The state returned by the identity provider does not match this sign-in.");
        }

        var idToken = await ExchangeAsync(context, query["code"].ToString(), flow.Verifier);
        var user = idToken is null ? null : await validator.ValidateIdTokenAsync(idToken, flow.Nonce, context.RequestAborted);
        if (user is null)
        {
            return Failed(context, "oidc_invalid_token", "The identity provider's ID token could not be validated.");
        }

        await store.PingAsync("sign-in", context.RequestAborted); // fail closed, as the password sign-in
        var (cookie, data) = sessions.Issue(user.Name, user.Groups, cluster: null);
        SessionCookies.Append(context, cookie, data.Expires);
        context.Response.Cookies.Delete(FlowCookie, FlowCookieOptions(context));
        LogSignedIn(logger, user.Name);
        return Results.Redirect(flow.ReturnTo);
    }

    private async Task<string?> ExchangeAsync(HttpContext context, string code, string verifier)
    {
        if (code.Length == 0)
        {
            return null;
        }

        var snapshot = await metadata.GetAsync(context.RequestAborted);
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri(context),
            ["code_verifier"] = verifier,
            ["client_id"] = options.Oidc.ClientId!,
        };
        var methods = snapshot.Configuration.TokenEndpointAuthMethodsSupported;
        var basic = options.Oidc.ClientSecret is not null && (methods.Count == 0 || methods.Contains("client_secret_basic"));
        if (options.Oidc.ClientSecret is { } secret && !basic)
        {
            form["client_secret"] = secret;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, snapshot.Configuration.TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        if (basic)
        {
            var credentials = Uri.EscapeDataString(options.Oidc.ClientId!) + ":" + Uri.EscapeDataString(options.Oidc.ClientSecret!);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }

        using var response = await metadata.SendAsync(request, context.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            LogExchangeFailed(logger, (int)response.StatusCode);
            return null;
        }

        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(context.RequestAborted), cancellationToken: context.RequestAborted);
        return json.RootElement.TryGetProperty("id_token", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
    }

    private OidcFlowState? ReadFlow(HttpContext context)
    {
        if (context.Request.Cookies[FlowCookie] is not { } value || !_signer.TryVerify(value, out var payload, out _))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(payload, SessionJsonContext.Default.OidcFlowState);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string RedirectUri(HttpContext context) =>
        options.Oidc.RedirectUrl?.AbsoluteUri ?? $"{context.Request.Scheme}://{context.Request.Host}{CallbackPath}";

    private static CookieOptions FlowCookieOptions(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        Path = "/api/v1/auth/oidc",
        MaxAge = FlowLifetime,
        IsEssential = true,
    };

    /// <summary>Only a local path; anything else (another site, //host) goes to the start page.</summary>
    private static string SafeReturnTo(string? returnTo) =>
        returnTo is { Length: > 0 } r && r[0] == '/' && !r.StartsWith("//", StringComparison.Ordinal) && !r.StartsWith("/\\", StringComparison.Ordinal) ? r : "/";

    private static string Random(int bytes = 32) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    private IResult Failed(HttpContext context, string code, string detail)
    {
        context.Response.Cookies.Delete(FlowCookie, FlowCookieOptions(context));
        LogFailed(logger, code);
        return new ProblemResult(StatusCodes.Status401Unauthorized, code, "Sign-in failed", detail);
    }

    [LoggerMessage(EventId = 1222, Level = LogLevel.Information, Message = "OIDC sign-in of {User}")]
    private static partial void LogSignedIn(ILogger logger, string user);

    [LoggerMessage(EventId = 1223, Level = LogLevel.Warning, Message = "OIDC sign-in failed: {Code}")]
    private static partial void LogFailed(ILogger logger, string code);

    [LoggerMessage(EventId = 1224, Level = LogLevel.Warning, Message = "OIDC code exchange failed with status {Status}")]
    private static partial void LogExchangeFailed(ILogger logger, int status);
}
