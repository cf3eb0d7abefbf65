using k8s;
using Porthole.Clusters;

namespace Porthole.Terminal;

/// <summary>
/// The terminal's seam to the cluster layer: a Kubernetes client for one cluster, used only
/// with the user's <see cref="TerminalUser.ImpersonationHeaders"/> (or, in auth mode none, the
/// context's own credentials, which are the user). Never a call as the server itself.
/// TODO(cluster layer): take the per-user client from the cluster layer's factory once it lands.
/// </summary>
public sealed class TerminalClusterAccess(ClusterRegistry clusters)
{
    /// <summary>A new client for the named cluster (the caller disposes it), or null when no such cluster is configured.</summary>
    public Kubernetes? CreateClient(string cluster) =>
        clusters.Clusters.FirstOrDefault(c => string.Equals(c.Name, cluster, StringComparison.Ordinal)) is { } entry
            ? new Kubernetes(entry.Configuration)
            : null;
}
