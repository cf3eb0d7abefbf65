using System.Text;

namespace Porthole.Clusters.Caching;

/// <summary>
/// What one shared upstream list+watch serves: a cluster, a resource and its filters. The
/// upstream watch is made as the server's identity, so subscribers with equal keys share it
/// whoever they are (unless the server may not list it: then each user has their own, see
/// <see cref="WatchCache"/>); <see cref="WatchAccess"/> decides who may join.
/// </summary>
public sealed record WatchKey(string Cluster, string Group, string Version, string Resource, string Namespace, string LabelSelector, string FieldSelector)
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

    /// <summary>For logs.</summary>
    public override string ToString() =>
        $"{Cluster}/{CollectionPath}{(LabelSelector.Length > 0 ? $" l={LabelSelector}" : "")}{(FieldSelector.Length > 0 ? $" f={FieldSelector}" : "")}";
}
