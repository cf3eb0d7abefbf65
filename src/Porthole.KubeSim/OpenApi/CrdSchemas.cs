using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.OpenApi;

/// <summary>
/// The OpenAPI component schemas the real server publishes for a CRD version: the
/// openAPIV3Schema with apiVersion/kind/metadata filled in and the group-version-kind
/// extension, plus the matching List schema, named by the reversed group (com.example.stable.v1.CronTab).
/// </summary>
internal static class CrdSchemas
{
    public static string Name(string group, string version, string kind) =>
        $"{string.Join('.', group.Split('.').Reverse())}.{version}.{kind}";

    public static IEnumerable<(string Name, JsonObject Schema)> Components(ResourceType r)
    {
        var schema = r.CustomSchema?.DeepClone().AsObject() ?? new JsonObject { ["type"] = "object" };
        if (schema["properties"] is not JsonObject properties)
        {
            properties = new JsonObject();
            schema["properties"] = properties;
        }

        properties["apiVersion"] = ApiVersionField();
        properties["kind"] = KindField();
        properties["metadata"] = new JsonObject
        {
            ["allOf"] = new JsonArray(ModelSchemas.Ref(ModelSchemas.ObjectMetaName)),
            ["description"] = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        };
        schema["type"] ??= "object";
        schema["x-kubernetes-group-version-kind"] = Gvk(r.Group, r.Version, r.Kind);
        var name = Name(r.Group, r.Version, r.Kind);
        yield return (name, schema);

        var list = new JsonObject
        {
            ["description"] = $"{r.Kind}List is a list of {r.Kind}",
            ["type"] = "object",
            ["required"] = new JsonArray("items"),
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = ApiVersionField(),
                ["items"] = new JsonObject
                {
                    ["description"] = $"List of {r.Plural}. More info: https://git.k8s.io/community/contributors/devel/api-conventions.md",
                    ["type"] = "array",
                    ["items"] = ModelSchemas.Ref(name),
                },
                ["kind"] = KindField(),
                ["metadata"] = new JsonObject
                {
                    ["allOf"] = new JsonArray(ModelSchemas.Ref(ModelSchemas.Meta + "ListMeta")),
                    ["description"] = "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                },
            },
            ["x-kubernetes-group-version-kind"] = Gvk(r.Group, r.Version, r.Kind + "List"),
        };
        yield return (Name(r.Group, r.Version, r.Kind + "List"), list);
    }

    private static JsonArray Gvk(string group, string version, string kind) =>
        new(new JsonObject { ["group"] = group, ["kind"] = kind, ["version"] = version });

    private static JsonObject ApiVersionField() => new()
    {
        ["description"] = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
        ["type"] = "string",
    };

    private static JsonObject KindField() => new()
    {
        ["description"] = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
        ["type"] = "string",
    };
}
