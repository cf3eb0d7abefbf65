using Porthole.Clusters;

namespace Porthole.Auth;

/// <summary>
/// A client must never choose whom Porthole impersonates: every incoming Impersonate-* header
/// is removed. The signed-in user's name and groups become <see cref="IImpersonationFeature"/>,
/// which the cluster layer attaches to every Kubernetes call made for the request; in token mode
/// the user's own token becomes the request's <see cref="IKubeCredentialFeature"/> instead.
/// </summary>
internal sealed class ImpersonationMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        foreach (var name in headers.Keys.Where(k => k.StartsWith("Impersonate-", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            headers.Remove(name);
        }

        if (context.GetPortholeUser() is { } user)
        {
            var impersonate = user.AuthenticatedBy != AuthenticatedBy.None && user.Token is null;
            context.Features.Set<IImpersonationFeature>(new ImpersonationFeature(user.Name, user.Groups, impersonate));
            if (user.Token is { } token)
            {
                context.Features.Set<IKubeCredentialFeature>(new KubeCredentialFeature(new KubeCredential.UserToken(token.Value)));
            }
        }

        return next(context);
    }
}
