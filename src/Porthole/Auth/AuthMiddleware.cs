using Porthole.Clusters;
using Porthole.Hosting;

namespace Porthole.Auth;

/// <summary>
/// The authentication hook. Mode <c>none</c> (refused at start unless bound to loopback) signs
/// every request in as the user of the kubeconfig's current context; the other modes come
/// with the auth issue and are refused at start until then.
/// </summary>
internal sealed class AuthMiddleware(RequestDelegate next, PortholeOptions options, ClusterRegistry clusters)
{
    public const string AnonymousName = "kubeconfig";

    public Task InvokeAsync(HttpContext context)
    {
        if (options.AuthMode == AuthMode.None)
        {
            var name = clusters.CurrentUser ?? AnonymousName;
            context.Features.Set<IPortholeUserFeature>(new PortholeUserFeature(new PortholeUser(name, ["system:authenticated"], AuthenticatedBy.None)));
        }

        return next(context);
    }
}
