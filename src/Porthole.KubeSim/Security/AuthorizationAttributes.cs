using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Security;

/// <summary>
/// What a request asks to do, as the API server's authorizer.Attributes: a verb on a
/// (sub)resource in a group and namespace, or a verb on a non-resource path.
/// </summary>
public sealed record AuthorizationAttributes(
    UserInfo User,
    string Verb,
    string ApiGroup = "",
    string Resource = "",
    string Subresource = "",
    string Namespace = "",
    string Name = "",
    bool IsResourceRequest = true,
    string Path = "")
{
    /// <summary>A resource request such as "list pods in default".</summary>
    public static AuthorizationAttributes ForResource(
        UserInfo user, string verb, string apiGroup, string resource, string ns = "", string name = "", string subresource = "") =>
        new(user, verb, apiGroup, resource, subresource, ns, name, IsResourceRequest: true);

    /// <summary>A non-resource request such as "get /healthz".</summary>
    public static AuthorizationAttributes ForPath(UserInfo user, string verb, string path) =>
        new(user, verb, IsResourceRequest: false, Path: path);

    /// <summary>"pods" or "pods/exec": the resource as RBAC rules and messages name it.</summary>
    public string CombinedResource => Subresource.Length == 0 ? Resource : $"{Resource}/{Subresource}";
}

/// <summary>The outcome of an authorization check and the RBAC reason, as a SubjectAccessReview reports it.</summary>
public sealed record AuthorizationDecision(bool Allowed, string Reason)
{
    public static readonly AuthorizationDecision Privileged = new(true, "");
}
