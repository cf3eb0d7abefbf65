using k8s;
using Porthole.Clusters;

namespace Porthole.Terminal;

/// <summary>
/// The terminal's seam to the cluster layer. Plain calls go through <see cref="Cluster.SendAsync"/>
/// (breaker, the caller's credential). The exec WebSocket needs a KubernetesClient, which the
/// cluster layer does not hand out: <see cref="CreateExecClient"/> builds one from the cluster's
/// configuration that carries exactly the user's credential (impersonation headers, or the
/// user's own token in place of the server's).
/// </summary>
public sealed class TerminalClusterAccess(ClusterRegistry clusters)
{
    public Cluster? Find(string cluster) => clusters.Find(cluster);

    /// <summary>A client for the exec (the caller disposes it) and the headers to send with it.</summary>
    public static (Kubernetes Client, Dictionary<string, List<string>>? Headers) CreateExecClient(Cluster cluster, KubeCredential credential) => credential switch
    {
        KubeCredential.Impersonation who => (new Kubernetes(cluster.Configuration), new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Impersonate-User"] = [who.User],
            ["Impersonate-Group"] = [.. who.Groups],
        }),
        KubeCredential.UserToken user => (new Kubernetes(new KubernetesClientConfiguration
        {
            Host = cluster.Configuration.Host,
            SslCaCerts = cluster.Configuration.SslCaCerts,
            SkipTlsVerify = cluster.Configuration.SkipTlsVerify,
            TlsServerName = cluster.Configuration.TlsServerName,
            AccessToken = user.Token,
        }), null),
        KubeCredential.ServerIdentity => (new Kubernetes(cluster.Configuration), null),
        _ => throw new ArgumentOutOfRangeException(nameof(credential), "unknown credential kind"),
    };
}
