using System.Net;

namespace Porthole.Clusters;

/// <summary>A Kubernetes API answer that was not a success, with its status code and Status reason.</summary>
public sealed class KubeApiException(HttpStatusCode status, string reason, string message)
    : Exception($"Kubernetes API answered {(int)status} {reason}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    public string Reason { get; } = reason;
}
