namespace Porthole.Auth;

/// <summary>
/// Who the Kubernetes calls made for this request act as. The cluster layer sends these as
/// Impersonate-User / Impersonate-Group, except in auth mode none where the kubeconfig's own
/// credentials already are the user (<see cref="Impersonate"/> false), and in token mode, where
/// the auth stage sets an <see cref="Porthole.Clusters.IKubeCredentialFeature"/> with the user's
/// own token, which the cluster layer calls with instead of its own credentials.
/// </summary>
public interface IImpersonationFeature
{
    string UserName { get; }

    IReadOnlyList<string> Groups { get; }

    bool Impersonate { get; }
}

internal sealed record ImpersonationFeature(string UserName, IReadOnlyList<string> Groups, bool Impersonate) : IImpersonationFeature;
