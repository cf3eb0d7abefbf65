namespace Porthole.Clusters;

/// <summary>
/// Whose authority a Kubernetes call carries. Every call made for a request takes the request's
/// credential (<see cref="HttpContextKubeCredentialExtensions.GetKubeCredential"/>); only
/// Porthole's own background work (discovery, CRD watch) and auth mode none use <see cref="Server"/>.
/// </summary>
public abstract record KubeCredential
{
    private KubeCredential()
    {
    }

    /// <summary>The kubeconfig's (or service account's) own identity, with no impersonation.</summary>
    public static KubeCredential Server { get; } = new ServerIdentity();

    /// <summary>The server's credentials plus Impersonate-User and one Impersonate-Group per group.</summary>
    public sealed record Impersonation(string User, IReadOnlyList<string> Groups) : KubeCredential;

    /// <summary>
    /// The user's own bearer token in place of the server's credentials (auth mode <c>token</c>):
    /// no impersonation, no server token. Its text never appears in <see cref="ToString"/>.
    /// </summary>
    public sealed record UserToken(string Token) : KubeCredential
    {
        public override string ToString() => "UserToken { Token = *** }";
    }

    /// <summary>See <see cref="Server"/>.</summary>
    public sealed record ServerIdentity : KubeCredential;
}

/// <summary>
/// Set by an auth mode whose users bring their own Kubernetes credential (mode <c>token</c>):
/// when present it wins over impersonation.
/// </summary>
public interface IKubeCredentialFeature
{
    KubeCredential Credential { get; }
}

public sealed record KubeCredentialFeature(KubeCredential Credential) : IKubeCredentialFeature;
