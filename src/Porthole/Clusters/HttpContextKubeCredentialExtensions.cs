using Porthole.Auth;
using Porthole.Clusters;

namespace Microsoft.AspNetCore.Http;

public static class HttpContextKubeCredentialExtensions
{
    /// <summary>
    /// The credential for Kubernetes calls made for this request: the auth stage's own
    /// credential (mode token), else impersonation of the signed-in user, else, in auth mode
    /// none only, the kubeconfig's identity. Null when nobody is signed in: the caller refuses
    /// the request and never falls back to the server's identity.
    /// </summary>
    public static KubeCredential? GetKubeCredential(this HttpContext context)
    {
        if (context.Features.Get<IKubeCredentialFeature>() is { } own)
        {
            return own.Credential;
        }

        return context.GetImpersonation() switch
        {
            { Impersonate: true } who => new KubeCredential.Impersonation(who.UserName, who.Groups),
            { Impersonate: false } when context.GetPortholeUser()?.AuthenticatedBy == AuthenticatedBy.None => KubeCredential.Server,
            _ => null,
        };
    }
}
