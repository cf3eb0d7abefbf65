using Porthole.Clusters;

namespace Porthole.Terminal;

/// <summary>
/// The terminal's seam to the cluster layer: plain calls go through <see cref="Cluster.SendAsync"/>
/// (breaker, the caller's credential), the exec WebSocket through <see cref="Cluster.ConnectWebSocketAsync"/>
/// (the caller's credential, the cluster's own connection handler).
/// </summary>
public sealed class TerminalClusterAccess(ClusterRegistry clusters)
{
    public Cluster? Find(string cluster) => clusters.Find(cluster);
}
