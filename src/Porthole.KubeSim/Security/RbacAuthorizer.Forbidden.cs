using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Security;

public sealed partial class RbacAuthorizer
{
    /// <summary>
    /// The 403 the API server answers for a denied request, worded as its forbiddenMessage and
    /// NewForbidden: <c>pods "web-1" is forbidden: User "x" cannot delete resource "pods" in API group "" in the namespace "default"</c>.
    /// A non-empty <paramref name="reason"/> (the authorizer's) is appended after a colon.
    /// </summary>
    public static ApiException Forbidden(AuthorizationAttributes a, string reason = "")
    {
        string why;
        if (!a.IsResourceRequest)
        {
            why = $"User \"{a.User.Name}\" cannot {a.Verb} path \"{a.Path}\"";
        }
        else
        {
            var scope = a.Namespace.Length > 0 ? $"in the namespace \"{a.Namespace}\"" : "at the cluster scope";
            why = $"User \"{a.User.Name}\" cannot {a.Verb} resource \"{a.CombinedResource}\" in API group \"{a.ApiGroup}\" {scope}";
        }

        if (reason.Length > 0)
        {
            why = $"{why}: {reason}";
        }

        var groupResource = !a.IsResourceRequest || a.Resource.Length == 0 ? ""
            : a.ApiGroup.Length == 0 ? a.Resource : $"{a.Resource}.{a.ApiGroup}";
        var name = a.IsResourceRequest ? a.Name : "";
        var message = groupResource.Length == 0 ? $"forbidden: {why}"
            : name.Length == 0 ? $"{groupResource} is forbidden: {why}"
            : $"{groupResource} \"{name}\" is forbidden: {why}";

        // metav1.StatusDetails leaves empty fields out: a non-resource denial has "details": {}.
        var details = new JsonObject();
        if (name.Length > 0)
        {
            details["name"] = name;
        }

        if (a.IsResourceRequest && a.ApiGroup.Length > 0)
        {
            details["group"] = a.ApiGroup;
        }

        if (a.IsResourceRequest && a.Resource.Length > 0)
        {
            details["kind"] = a.Resource;
        }

        return new ApiException(403, "Forbidden", message, details);
    }
}
