using System.Net;

namespace Porthole.Auth.Proxy;

/// <summary>
/// Auth mode proxy: an authenticating proxy in front of Porthole names the user in
/// <c>X-Forwarded-User</c> and the groups in <c>X-Forwarded-Groups</c> (comma-separated, or the
/// header repeated). Believed only when the connection comes from PORTHOLE_TRUSTED_PROXIES;
/// from anywhere else the headers are ignored (the request stays unauthenticated).
/// </summary>
public static class ProxyHeaders
{
    public const string UserHeader = "X-Forwarded-User";
    public const string GroupsHeader = "X-Forwarded-Groups";

    public static bool IsTrusted(IPAddress? remote, IReadOnlyList<IPNetwork> trusted)
    {
        if (remote is null)
        {
            return false;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        return trusted.Any(n => n.Contains(remote));
    }

    /// <summary>The user the trusted proxy names, or null (no header, or not from a trusted proxy).</summary>
    public static PortholeUser? Read(HttpContext context, IReadOnlyList<IPNetwork> trusted)
    {
        var name = context.Request.Headers[UserHeader].ToString().Trim();
        if (name.Length == 0 || name.Contains(',', StringComparison.Ordinal) || !IsTrusted(context.Connection.RemoteIpAddress, trusted))
        {
            return null;
        }

        var groups = context.Request.Headers[GroupsHeader]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return new PortholeUser(name, groups, AuthenticatedBy.Proxy);
    }
}
