using System.Text.Json.Nodes;
using Porthole.KubeSim.Discovery;

namespace Porthole.KubeSim.OpenApi;

/// <summary>
/// Derives the swagger 2.0 document (/openapi/v2) from the per group-version v3 documents:
/// definitions instead of components, body parameters and consumes/produces instead of
/// request bodies and content maps, plain $ref instead of the allOf wrapper.
/// </summary>
internal static class SwaggerConverter
{
    private const string V2Prefix = "#/definitions/";

    public static JsonObject Document(IEnumerable<JsonObject> v3Documents)
    {
        var paths = new JsonObject();
        var definitions = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var doc in v3Documents)
        {
            foreach (var (path, item) in doc["paths"]!.AsObject())
            {
                paths[path] = PathItem(item!.AsObject());
            }

            foreach (var (name, schema) in doc["components"]!["schemas"]!.AsObject())
            {
                definitions.TryAdd(name, Schema(schema));
            }
        }

        var defs = new JsonObject();
        foreach (var (name, schema) in definitions)
        {
            defs[name] = schema;
        }

        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = ServerVersion.GitVersion },
            ["paths"] = paths,
            ["definitions"] = defs,
            ["securityDefinitions"] = new JsonObject
            {
                ["BearerToken"] = new JsonObject
                {
                    ["description"] = "Bearer Token authentication",
                    ["type"] = "apiKey",
                    ["name"] = "authorization",
                    ["in"] = "header",
                },
            },
            ["security"] = new JsonArray(new JsonObject { ["BearerToken"] = new JsonArray() }),
        };
    }

    /// <summary>A v3 schema as v2: $refs re-pointed to #/definitions/ and single allOf wrappers unwrapped.</summary>
    public static JsonNode Schema(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var result = new JsonObject();
                if (o["allOf"] is JsonArray { Count: 1 } all && all[0] is JsonObject only && only.ContainsKey("$ref"))
                {
                    result["$ref"] = Schema(only["$ref"]);
                }

                foreach (var (key, value) in o)
                {
                    if (key == "allOf" && result.ContainsKey("$ref"))
                    {
                        continue;
                    }

                    result[key] = key == "$ref" && value is JsonValue v && v.TryGetValue<string>(out var s)
                        ? s.Replace(ModelSchemas.RefPrefix, V2Prefix, StringComparison.Ordinal)
                        : Schema(value);
                }

                return result;
            case JsonArray a:
                return new JsonArray([.. a.Select(Schema)]);
            case null:
                return JsonValue.Create((string?)null)!;
            default:
                var clone = node.DeepClone();
                if (clone is JsonValue sv && sv.TryGetValue<string>(out var str) && str.StartsWith(ModelSchemas.RefPrefix, StringComparison.Ordinal))
                {
                    return V2Prefix + str[ModelSchemas.RefPrefix.Length..];
                }

                return clone;
        }
    }

    private static JsonObject PathItem(JsonObject item)
    {
        var result = new JsonObject();
        foreach (var (key, value) in item)
        {
            result[key] = key == "parameters" ? Parameters(value!.AsArray()) : Operation(value!.AsObject());
        }

        return result;
    }

    private static JsonObject Operation(JsonObject op)
    {
        var result = new JsonObject();
        var parameters = op["parameters"] is JsonArray p ? Parameters(p) : [];
        if (op["requestBody"] is JsonObject body)
        {
            var content = body["content"]!.AsObject();
            result["consumes"] = new JsonArray([.. content.Select(c => (JsonNode)c.Key)]);
            parameters.Add(new JsonObject
            {
                ["name"] = "body",
                ["in"] = "body",
                ["required"] = true,
                ["schema"] = Schema(content.First().Value!["schema"]),
            });
        }

        foreach (var (key, value) in op)
        {
            switch (key)
            {
                case "parameters" or "requestBody":
                    break;
                case "responses":
                    result["produces"] = Produces(value!.AsObject());
                    result["responses"] = Responses(value!.AsObject());
                    break;
                default:
                    result[key] = value!.DeepClone();
                    break;
            }
        }

        if (parameters.Count > 0)
        {
            result["parameters"] = parameters;
        }

        result["schemes"] = new JsonArray("https");
        return result;
    }

    private static JsonArray Parameters(JsonArray v3)
    {
        var result = new JsonArray();
        foreach (var p in v3.OfType<JsonObject>())
        {
            var q = new JsonObject();
            foreach (var (key, value) in p)
            {
                if (key == "schema" && value is JsonObject schema)
                {
                    foreach (var (sk, sv) in schema)
                    {
                        q[sk] = sv!.DeepClone();
                    }
                }
                else
                {
                    q[key] = value!.DeepClone();
                }
            }

            result.Add(q);
        }

        return result;
    }

    private static JsonArray Produces(JsonObject responses)
    {
        var types = responses.Select(r => r.Value?["content"]).OfType<JsonObject>().SelectMany(c => c.Select(kv => kv.Key)).Distinct();
        return new JsonArray([.. types.Select(t => (JsonNode)t)]);
    }

    private static JsonObject Responses(JsonObject responses)
    {
        var result = new JsonObject();
        foreach (var (code, response) in responses)
        {
            var r = new JsonObject { ["description"] = response!["description"]!.DeepClone() };
            if (response["content"] is JsonObject content && content.Count > 0)
            {
                r["schema"] = Schema(content.First().Value!["schema"]);
            }

            result[code] = r;
        }

        return result;
    }
}
