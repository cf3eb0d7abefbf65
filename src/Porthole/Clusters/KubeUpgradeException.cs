using System.Net;

namespace Porthole.Clusters;

/// <summary>
/// The API server refused a WebSocket upgrade: the status (from the plain GET asked again, as
/// the API server answers it) and that answer's body (a metav1.Status as JSON, usually), if any.
/// </summary>
public sealed class KubeUpgradeException(HttpStatusCode status, string? body, Exception inner)
    : Exception($"the API server refused the WebSocket upgrade with {(int)status}", inner)
{
    public HttpStatusCode Status { get; } = status;

    public string? Body { get; } = body;
}
