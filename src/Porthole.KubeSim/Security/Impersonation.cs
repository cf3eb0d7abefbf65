using Microsoft.AspNetCore.Http;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Security;

/// <summary>
/// The API server's impersonation filter: turns Impersonate-User, Impersonate-Group,
/// Impersonate-Uid and Impersonate-Extra-* headers into the user the request acts as, after
/// checking the requester may "impersonate" each of them.
/// </summary>
public static class Impersonation
{
    public const string UserHeader = "Impersonate-User";
    public const string GroupHeader = "Impersonate-Group";
    public const string UidHeader = "Impersonate-Uid";
    public const string ExtraHeaderPrefix = "Impersonate-Extra-";

    private const string AuthenticationGroup = "authentication.k8s.io";

    /// <summary>
    /// The user the request acts as: <paramref name="requester"/> itself without Impersonate-*
    /// headers. Throws the API server's 403 when a check fails, and 500 InternalError (as the
    /// real filter) for groups, uid or extra without Impersonate-User.
    /// </summary>
    public static UserInfo Resolve(UserInfo requester, IHeaderDictionary headers, RbacAuthorizer authz)
    {
        var userName = headers[UserHeader].ToString();
        var groups = headers[GroupHeader].Where(g => g is not null).Select(g => g!).ToList();
        var uid = headers[UidHeader].ToString();
        var extra = Extras(headers);
        if (userName.Length == 0)
        {
            if (groups.Count > 0 || uid.Length > 0 || extra.Count > 0)
            {
                throw new ApiException(500, "InternalError",
                    $"Internal error occurred: requested {Describe(groups, uid, extra)} without impersonating a user");
            }

            return requester;
        }

        IReadOnlyList<string> effectiveGroups = groups;
        if (ServiceAccounts.TrySplit(userName, out var saNamespace, out var saName))
        {
            Check(authz, requester, "", "serviceaccounts", "", saNamespace, saName);
            if (groups.Count == 0)
            {
                effectiveGroups = ServiceAccounts.Groups(saNamespace);
            }
        }
        else
        {
            Check(authz, requester, "", "users", "", "", userName);
        }

        foreach (var group in groups)
        {
            Check(authz, requester, "", "groups", "", "", group);
        }

        foreach (var (key, values) in extra)
        {
            foreach (var value in values)
            {
                Check(authz, requester, AuthenticationGroup, "userextras", key, "", value);
            }
        }

        if (uid.Length > 0)
        {
            Check(authz, requester, AuthenticationGroup, "uids", "", "", uid);
        }

        return new UserInfo(userName, uid, WithAllGroup(userName, effectiveGroups), extra);
    }

    /// <summary>True when the request carries any Impersonate-* header.</summary>
    public static bool Requested(IHeaderDictionary headers) =>
        headers.Keys.Any(k => k.StartsWith("Impersonate-", StringComparison.OrdinalIgnoreCase));

    private static void Check(RbacAuthorizer authz, UserInfo requester, string group, string resource, string subresource, string ns, string name) =>
        authz.Require(new AuthorizationAttributes(requester, "impersonate", group, resource, subresource, ns, name));

    /// <summary>Adds system:authenticated (system:unauthenticated for system:anonymous) unless either is there, as the real filter.</summary>
    private static List<string> WithAllGroup(string userName, IReadOnlyList<string> groups)
    {
        var result = groups.ToList();
        if (userName == SimUsers.Anonymous)
        {
            if (!result.Contains(SimUsers.Unauthenticated))
            {
                result.Add(SimUsers.Unauthenticated);
            }
        }
        else if (!result.Contains(SimUsers.Authenticated) && !result.Contains(SimUsers.Unauthenticated))
        {
            result.Add(SimUsers.Authenticated);
        }

        return result;
    }

    /// <summary>Impersonate-Extra-&lt;key&gt; headers: keys lower-cased and percent-decoded, ordered by key.</summary>
    private static Dictionary<string, IReadOnlyList<string>> Extras(IHeaderDictionary headers)
    {
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (header, values) in headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (!header.StartsWith(ExtraHeaderPrefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var key = Uri.UnescapeDataString(header[ExtraHeaderPrefix.Length..].ToLowerInvariant());
            var list = extra.TryGetValue(key, out var existing) ? existing.ToList() : [];
            list.AddRange(values.Where(v => v is not null).Select(v => v!));
            extra[key] = list;
        }

        return extra;
    }

    private static string Describe(List<string> groups, string uid, Dictionary<string, IReadOnlyList<string>> extra)
    {
        var refs = groups.Select(g => $"{{Group  {g}    }}")
            .Concat(extra.SelectMany(e => e.Value.Select(v => $"{{UserExtra  {v}  authentication.k8s.io/v1  {e.Key}}}")))
            .Concat(uid.Length > 0 ? [$"{{UID  {uid}  authentication.k8s.io/v1  }}"] : []);
        return $"[{string.Join(" ", refs)}]";
    }
}
