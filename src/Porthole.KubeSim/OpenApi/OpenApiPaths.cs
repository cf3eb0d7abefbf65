using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Discovery;

namespace Porthole.KubeSim.OpenApi;

/// <summary>
/// The OpenAPI v3 "paths" of one resource: collection and item operations with the
/// x-kubernetes-action / x-kubernetes-group-version-kind extensions and the query parameters
/// kubectl probes (fieldValidation on PATCH tells it the server validates fields).
/// </summary>
internal static class OpenApiPaths
{
    private static readonly string[] BuiltInPatchTypes =
        ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"];

    private static readonly string[] CustomPatchTypes =
        ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"];

    public static void Add(JsonObject paths, ResourceType r, string schemaName, string listSchemaName)
    {
        var prefix = r.Group.Length == 0 ? "/api/v1" : $"/apis/{r.Group}/{r.Version}";
        var collection = r.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{r.Plural}" : $"{prefix}/{r.Plural}";
        var gvk = Gvk(r.Group, r.Version, r.Kind);
        var id = OperationSuffix(r);
        var ns = r.Namespaced ? "Namespaced" : "";
        var patchTypes = r.IsCustom ? CustomPatchTypes : BuiltInPatchTypes;

        var col = PathItem(r.Namespaced);
        if (r.Supports("list"))
        {
            col["get"] = Op($"list{id}{ns}{r.Kind}", "list", gvk, listSchemaName, ListParams());
        }

        if (r.Supports("create"))
        {
            col["post"] = Op($"create{id}{ns}{r.Kind}", "post", gvk, schemaName, WriteParams(), Body(schemaName, ["application/json", "application/yaml"]));
        }

        if (r.Supports("deletecollection"))
        {
            col["delete"] = Op($"deletecollection{id}{ns}{r.Kind}", "deletecollection", gvk, ModelSchemas.StatusName, ListParams());
        }

        if (col.Count > 1)
        {
            paths[collection] = col;
        }

        if (r.IsVirtual)
        {
            return;
        }

        var item = PathItem(r.Namespaced, named: true);
        if (r.Supports("get"))
        {
            item["get"] = Op($"read{id}{ns}{r.Kind}", "get", gvk, schemaName, []);
        }

        if (r.Supports("update"))
        {
            item["put"] = Op($"replace{id}{ns}{r.Kind}", "put", gvk, schemaName, WriteParams(), Body(schemaName, ["application/json", "application/yaml"]));
        }

        if (r.Supports("delete"))
        {
            item["delete"] = Op($"delete{id}{ns}{r.Kind}", "delete", gvk, ModelSchemas.StatusName, DeleteParams());
        }

        if (r.Supports("patch"))
        {
            item["patch"] = Op($"patch{id}{ns}{r.Kind}", "patch", gvk, schemaName, PatchParams(), Body(ModelSchemas.PatchName, patchTypes));
        }

        paths[$"{collection}/{{name}}"] = item;

        if (r.Namespaced && r.Supports("list"))
        {
            var all = new JsonObject { ["parameters"] = new JsonArray(Query("pretty", "string")) };
            all["get"] = Op($"list{id}{r.Kind}ForAllNamespaces", "list", gvk, listSchemaName, ListParams());
            paths[$"{prefix}/{r.Plural}"] = all;
        }

        foreach (var sub in r.Subresources)
        {
            AddSubresource(paths, r, $"{collection}/{{name}}/{sub}", SubresourceInfo.For(r, sub), schemaName, id + ns, patchTypes);
        }
    }

    private static void AddSubresource(JsonObject paths, ResourceType r, string path, SubresourceInfo sub, string schemaName, string id, string[] patchTypes)
    {
        var name = char.ToUpperInvariant(sub.Name[0]) + sub.Name[1..];
        var subSchema = sub.SameKind(r) ? schemaName : ModelSchemas.NameOf(sub.Group, sub.Version, sub.Kind) ?? schemaName;
        var gvk = Gvk(sub.Group, sub.Version, sub.Kind);
        var item = PathItem(r.Namespaced, named: true);
        var connect = sub.Kind.EndsWith("Options", StringComparison.Ordinal);
        foreach (var verb in sub.Verbs)
        {
            switch (verb)
            {
                case "get":
                    item["get"] = Op($"{(connect ? "connectGet" : "read")}{id}{r.Kind}{name}", connect ? "connect" : "get", gvk, subSchema, []);
                    break;
                case "create":
                    item["post"] = Op($"{(connect ? "connectPost" : "create")}{id}{r.Kind}{name}", connect ? "connect" : "post", gvk, subSchema, connect ? [] : WriteParams(), connect ? null : Body(subSchema, ["application/json"]));
                    break;
                case "update":
                    item["put"] = Op($"replace{id}{r.Kind}{name}", "put", gvk, subSchema, WriteParams(), Body(subSchema, ["application/json"]));
                    break;
                case "patch":
                    item["patch"] = Op($"patch{id}{r.Kind}{name}", "patch", gvk, subSchema, PatchParams(), Body(ModelSchemas.PatchName, patchTypes));
                    break;
            }
        }

        paths[path] = item;
    }

    /// <summary>"CoreV1", "AppsV1", "RbacAuthorizationV1", "StableExampleComV1" as in real operation ids.</summary>
    private static string OperationSuffix(ResourceType r)
    {
        var group = r.Group.Length == 0 ? "core" : r.Group.EndsWith(".k8s.io", StringComparison.Ordinal) ? r.Group[..^7] : r.Group;
        var pascal = string.Concat(group.Split('.', '-').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        return pascal + char.ToUpperInvariant(r.Version[0]) + r.Version[1..];
    }

    private static JsonObject Gvk(string group, string version, string kind) =>
        new() { ["group"] = group, ["kind"] = kind, ["version"] = version };

    private static JsonObject PathItem(bool namespaced, bool named = false)
    {
        var p = new JsonArray();
        if (named)
        {
            p.Add(PathParam("name", "name of the resource"));
        }

        if (namespaced)
        {
            p.Add(PathParam("namespace", "object name and auth scope, such as for teams and projects"));
        }

        p.Add(Query("pretty", "string", "If 'true', then the output is pretty printed."));
        return new JsonObject { ["parameters"] = p };
    }

    private static JsonObject Op(string operationId, string action, JsonObject gvk, string responseSchema, JsonObject[] parameters, JsonObject? body = null)
    {
        var op = new JsonObject
        {
            ["description"] = $"{action} the specified {gvk["kind"]}",
            ["operationId"] = operationId,
        };
        if (parameters.Length > 0)
        {
            op["parameters"] = new JsonArray(parameters);
        }

        if (body is not null)
        {
            op["requestBody"] = body;
        }

        var content = new JsonObject();
        foreach (var mt in new[] { "application/json", "application/yaml", "application/vnd.kubernetes.protobuf" })
        {
            content[mt] = new JsonObject { ["schema"] = ModelSchemas.Ref(responseSchema) };
        }

        op["responses"] = new JsonObject
        {
            ["200"] = new JsonObject { ["description"] = "OK", ["content"] = content },
            ["401"] = new JsonObject { ["description"] = "Unauthorized" },
        };
        op["tags"] = new JsonArray((JsonNode)operationId);
        op["x-kubernetes-action"] = action;
        op["x-kubernetes-group-version-kind"] = gvk.DeepClone();
        return op;
    }

    private static JsonObject Body(string schema, string[] mediaTypes)
    {
        var content = new JsonObject();
        foreach (var mt in mediaTypes)
        {
            content[mt] = new JsonObject { ["schema"] = ModelSchemas.Ref(schema) };
        }

        return new JsonObject { ["content"] = content, ["required"] = true };
    }

    private static JsonObject[] ListParams() =>
    [
        Query("allowWatchBookmarks", "boolean"), Query("continue", "string"), Query("fieldSelector", "string"),
        Query("labelSelector", "string"), Query("limit", "integer"), Query("resourceVersion", "string"),
        Query("resourceVersionMatch", "string"), Query("sendInitialEvents", "boolean"), Query("timeoutSeconds", "integer"),
        Query("watch", "boolean"),
    ];

    private static JsonObject[] WriteParams() =>
    [
        Query("dryRun", "string", "When present, indicates that modifications should not be persisted."),
        Query("fieldManager", "string", "fieldManager is a name associated with the actor or entity that is making these changes."),
        Query("fieldValidation", "string", "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict."),
    ];

    private static JsonObject[] PatchParams() =>
        [.. WriteParams(), Query("force", "boolean", "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people.")];

    private static JsonObject[] DeleteParams() =>
    [
        Query("dryRun", "string"), Query("gracePeriodSeconds", "integer"), Query("ignoreStoreReadErrorWithClusterBreakingPotential", "boolean"),
        Query("orphanDependents", "boolean"), Query("propagationPolicy", "string"),
    ];

    private static JsonObject PathParam(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "path",
        ["description"] = description,
        ["required"] = true,
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static JsonObject Query(string name, string type, string? description = null)
    {
        var p = new JsonObject { ["name"] = name, ["in"] = "query" };
        if (description is not null)
        {
            p["description"] = description;
        }

        p["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true };
        return p;
    }
}
