namespace Porthole.KubeSim.Api;

/// <summary>
/// What a request addresses, parsed from its method, path and query the way the API server's
/// RequestInfoFactory does: the verb RBAC checks, the group/version/resource, namespace, name
/// and subresource. Non-resource requests (/version, /api, /openapi/v3, ...) carry only the path.
/// </summary>
public sealed record RequestInfo(
    bool IsResourceRequest,
    string Path,
    string Verb,
    string ApiPrefix,
    string ApiGroup,
    string ApiVersion,
    string Namespace,
    string Resource,
    string Name,
    string Subresource,
    IReadOnlyList<string> Parts)
{
    private static readonly string[] NamespaceSubresources = ["status", "finalize"];

    public static RequestInfo Parse(string method, string path, Func<string, string?> query)
    {
        var trimmed = path.Trim('/');
        var segments = trimmed.Length == 0 ? [] : trimmed.Split('/');
        var verb = method.ToUpperInvariant() switch
        {
            "POST" => "create",
            "GET" or "HEAD" => "get",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => "",
        };
        var nonResource = new RequestInfo(false, "/" + trimmed, verb.Length == 0 ? method.ToLowerInvariant() : verb, "", "", "", "", "", "", "", []);

        int index;
        string prefix, group;
        if (segments.Length >= 2 && segments[0] == "api")
        {
            prefix = "api";
            group = "";
            index = 1;
        }
        else if (segments.Length >= 3 && segments[0] == "apis")
        {
            prefix = "apis";
            group = segments[1];
            index = 2;
        }
        else
        {
            return nonResource;
        }

        var version = segments[index++];
        var rest = segments[index..];
        if (rest.Length == 0)
        {
            return nonResource;
        }

        if (rest[0] == "watch")
        {
            verb = "watch";
            rest = rest[1..];
        }

        var ns = "";
        if (rest.Length >= 1 && rest[0] == "namespaces")
        {
            if (rest.Length >= 3)
            {
                ns = rest[1];
                rest = rest[2..];
            }
            else if (rest.Length == 2)
            {
                // namespaces/{name}: the namespace object itself, cluster-scoped.
                ns = "";
            }
        }

        // namespaces/{name}/status|finalize address the namespace object.
        if (rest.Length == 3 && rest[0] == "namespaces" && NamespaceSubresources.Contains(rest[2]))
        {
            ns = "";
        }

        if (rest.Length == 0)
        {
            return nonResource;
        }

        var resource = rest[0];
        var name = rest.Length >= 2 ? rest[1] : "";
        var subresource = rest.Length >= 3 ? rest[2] : "";
        if (rest.Length > 3 && resource != "nodes" && resource != "services" && resource != "pods")
        {
            return nonResource;
        }

        var watchParam = query("watch");
        if (verb == "get" && name.Length == 0)
        {
            verb = watchParam is "true" or "1" ? "watch" : "list";
        }
        else if (verb == "delete" && name.Length == 0)
        {
            verb = "deletecollection";
        }
        else if (verb == "watch" && name.Length > 0)
        {
            // /watch/.../pods/{name}: a watch of one object, authorized as watch.
            verb = "watch";
        }

        return new RequestInfo(true, "/" + trimmed, verb, prefix, group, version, ns, resource, name, subresource, rest);
    }
}
