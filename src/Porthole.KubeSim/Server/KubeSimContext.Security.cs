using Microsoft.AspNetCore.Http;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Security;

namespace Porthole.KubeSim.Server;

internal sealed partial class KubeSimContext
{
    public required RbacAuthorizer Authorizer { get; init; }

    public required AccessReviews Reviews { get; init; }

    /// <summary>serviceaccounts/token: issues the bound tokens <see cref="Auth.ServiceAccountTokens"/> then accepts.</summary>
    public required Auth.TokenRequests TokenRequests { get; init; }

    /// <summary>Applies Impersonate-* headers, each checked with the impersonate verb.</summary>
    public UserInfo Impersonate(UserInfo user, IHeaderDictionary headers) => Impersonation.Resolve(user, headers, Authorizer);

    /// <summary>
    /// RBAC for one request; a denial throws the API server's 403. A WebSocket (GET) exec, attach
    /// or port-forward needs get and then create on the subresource; a POST (SPDY) needs create only.
    /// </summary>
    public void Authorize(UserInfo user, RequestInfo info, ResourceType? type)
    {
        if (!info.IsResourceRequest)
        {
            Authorizer.Require(AuthorizationAttributes.ForPath(user, info.Verb, info.Path));
            return;
        }

        // GET /api/v1/namespaces/foo is "in" namespace foo for RBAC, as the real RequestInfo has it.
        var ns = info.Resource == "namespaces" && info.ApiGroup.Length == 0 && info.Name.Length > 0 ? info.Name : info.Namespace;
        if (info.Subresource is ("exec" or "attach" or "portforward") && info.Verb == "get")
        {
            Authorizer.Require(AuthorizationAttributes.ForResource(user, "get", info.ApiGroup, info.Resource, ns, info.Name, info.Subresource));
            Authorizer.Require(AuthorizationAttributes.ForResource(user, "create", info.ApiGroup, info.Resource, ns, info.Name, info.Subresource));
            return;
        }

        Authorizer.Require(AuthorizationAttributes.ForResource(user, info.Verb, info.ApiGroup, info.Resource, ns, info.Name, info.Subresource));
    }
}
