using System.Security.Cryptography;
using System.Text;

namespace Porthole.Clusters.Caching;

/// <summary>
/// What one shared upstream list+watch serves: a cluster, the identity it is made as, a
/// resource and its filters. Subscribers with equal keys share one upstream watch.
/// </summary>
public sealed record WatchKey(string Cluster, string Identity, string Group, string Version, string Resource, string Namespace, string LabelSelector, string FieldSelector)
{
    /// <summary>The collection path: api/v1/pods, apis/apps/v1/namespaces/x/deployments.</summary>
    public string CollectionPath
    {
        get
        {
            var root = Group.Length == 0 ? $"api/{Version}" : $"apis/{Group}/{Version}";
            return Namespace.Length == 0 ? $"{root}/{Resource}" : $"{root}/namespaces/{Namespace}/{Resource}";
        }
    }

    /// <summary>The list or watch query for this key.</summary>
    public string Path(string? resourceVersion = null, bool watch = false, int timeoutSeconds = 0)
    {
        var query = new StringBuilder(CollectionPath).Append('?');
        if (LabelSelector.Length > 0)
        {
            query.Append("labelSelector=").Append(Uri.EscapeDataString(LabelSelector)).Append('&');
        }

        if (FieldSelector.Length > 0)
        {
            query.Append("fieldSelector=").Append(Uri.EscapeDataString(FieldSelector)).Append('&');
        }

        if (watch)
        {
            query.Append("watch=1&allowWatchBookmarks=true&timeoutSeconds=").Append(timeoutSeconds).Append('&');
        }

        if (resourceVersion is not null)
        {
            query.Append("resourceVersion=").Append(Uri.EscapeDataString(resourceVersion)).Append('&');
        }

        return query.ToString(0, query.Length - 1);
    }

    /// <summary>For logs: everything but the identity.</summary>
    public override string ToString() =>
        $"{Cluster}/{CollectionPath}{(LabelSelector.Length > 0 ? $" l={LabelSelector}" : "")}{(FieldSelector.Length > 0 ? $" f={FieldSelector}" : "")}";

    /// <summary>
    /// The identity part of a key: impersonated user and groups, a digest of a user's own token
    /// (never the token), or the server's identity (auth mode none).
    /// </summary>
    public static string IdentityOf(KubeCredential credential) => credential switch
    {
        KubeCredential.Impersonation who => "user:" + who.User + "|" + string.Join(",", who.Groups.Order(StringComparer.Ordinal)),
        KubeCredential.UserToken token => "token:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token.Token)))[..32],
        _ => "server",
    };
}
