namespace Porthole.Auth;

/// <summary>
/// Who the Kubernetes calls made for this request act as. The cluster layer sends these as
/// Impersonate-User / Impersonate-Group, except in auth mode none where the kubeconfig's own
/// credentials already are the user (<see cref="Impersonate"/> false), and in token mode, where
/// it calls with the user's own <see cref="BearerToken"/> instead of its own credentials.
/// </summary>
public interface IImpersonationFeature
{
    string UserName { get; }

    IReadOnlyList<string> Groups { get; }

    bool Impersonate { get; }

    /// <summary>Token mode: call the cluster with this token (and no impersonation).</summary>
    KubernetesToken? BearerToken { get; }
}

internal sealed record ImpersonationFeature(string UserName, IReadOnlyList<string> Groups, bool Impersonate, KubernetesToken? BearerToken = null) : IImpersonationFeature;
