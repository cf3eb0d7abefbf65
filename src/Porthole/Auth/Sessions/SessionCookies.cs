namespace Porthole.Auth.Sessions;

/// <summary>The session cookie: HttpOnly, SameSite=Strict, Secure under TLS, path /.</summary>
public static class SessionCookies
{
    public const string Name = "porthole_session";

    public static void Append(HttpContext context, string value, DateTimeOffset expires) =>
        context.Response.Cookies.Append(Name, value, Options(context, expires));

    public static void Delete(HttpContext context) =>
        context.Response.Cookies.Delete(Name, Options(context, DateTimeOffset.UnixEpoch));

    private static CookieOptions Options(HttpContext context, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
