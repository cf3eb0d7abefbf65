using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.OpenApi;

/// <summary>
/// Server-side field validation (?fieldValidation=Strict|Warn|Ignore): finds the fields of an
/// object its schema does not declare (built-ins from the model schemas, CRDs from their
/// openAPIV3Schema, honouring x-kubernetes-preserve-unknown-fields) and words the outcome like
/// the real server.
/// </summary>
public sealed class SchemaValidator
{
    private readonly OpenApiDocuments _documents;

    public SchemaValidator(OpenApiDocuments documents)
    {
        _documents = documents;
    }

    /// <summary>
    /// Applies a fieldValidation directive (null or empty means the server default, Warn):
    /// Strict throws 400 BadRequest, Warn returns the texts for "Warning: 299 - ..." headers,
    /// Ignore returns nothing. <paramref name="decoding"/> (create/update bodies) prefixes the
    /// message with "Kind in version "v" cannot be handled as a Kind: " as the real decoder does.
    /// </summary>
    public IReadOnlyList<string> Check(ResourceType type, JsonObject obj, string? fieldValidation, bool decoding = true)
    {
        var directive = string.IsNullOrEmpty(fieldValidation) ? "Warn" : fieldValidation;
        if (directive == "Ignore")
        {
            return [];
        }

        if (directive is not ("Strict" or "Warn"))
        {
            throw ApiException.BadRequest($"fieldValidation parameter unsupported: {fieldValidation}");
        }

        var unknown = UnknownFields(type, obj);
        if (unknown.Count == 0)
        {
            return [];
        }

        if (directive == "Strict")
        {
            throw StrictError(type, unknown, decoding);
        }

        return Warnings(unknown);
    }

    /// <summary>Paths of the undeclared fields in document order, e.g. "spec.foo", "spec.template.spec.containers[0].bar".</summary>
    public IReadOnlyList<string> UnknownFields(ResourceType type, JsonObject obj)
    {
        var result = new List<string>();
        var schemas = _documents.Schemas;
        if (OpenApiDocuments.SchemaName(type) is { } name && schemas.TryGetValue(name, out var schema))
        {
            Walk(obj, schema, "", schemas, result);
        }

        return result;
    }

    /// <summary>400 BadRequest: strict decoding error: unknown field "spec.foo", unknown field "spec.bar".</summary>
    public static ApiException StrictError(ResourceType type, IReadOnlyList<string> unknown, bool decoding = true)
    {
        var text = "strict decoding error: " + string.Join(", ", Warnings(unknown));
        return ApiException.BadRequest(decoding ? $"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: {text}" : text);
    }

    /// <summary>The warning texts, one per field: unknown field "spec.foo".</summary>
    public static IReadOnlyList<string> Warnings(IReadOnlyList<string> unknown) =>
        [.. unknown.Select(p => $"unknown field \"{p}\"")];

    private static void Walk(JsonNode? node, JsonObject schema, string path, IReadOnlyDictionary<string, JsonObject> schemas, List<string> result)
    {
        schema = Resolve(schema, schemas);
        if (schema.Bool("x-kubernetes-preserve-unknown-fields") == true)
        {
            return;
        }

        switch (node)
        {
            case JsonObject o:
                var properties = schema.Obj("properties");
                var additional = schema["additionalProperties"];
                if (properties is null && additional is not JsonObject)
                {
                    return;
                }

                var embedded = schema.Bool("x-kubernetes-embedded-resource") == true;
                foreach (var (key, value) in o)
                {
                    var child = Join(path, key);
                    if (properties?[key] is JsonObject p)
                    {
                        Walk(value, p, child, schemas, result);
                    }
                    else if (additional is JsonObject a)
                    {
                        Walk(value, a, child, schemas, result);
                    }
                    else if (embedded && key == "metadata" && schemas.TryGetValue(ModelSchemas.ObjectMetaName, out var meta))
                    {
                        Walk(value, meta, child, schemas, result);
                    }
                    else if (additional is JsonValue av && av.TryGetValue<bool>(out var allowed) && allowed)
                    {
                        continue;
                    }
                    else if (!(embedded && key is "apiVersion" or "kind"))
                    {
                        result.Add(child);
                    }
                }

                break;
            case JsonArray a when schema.Obj("items") is { } items:
                for (var i = 0; i < a.Count; i++)
                {
                    Walk(a[i], items, $"{path}[{i}]", schemas, result);
                }

                break;
        }
    }

    private static JsonObject Resolve(JsonObject schema, IReadOnlyDictionary<string, JsonObject> schemas)
    {
        for (var depth = 0; depth < 8; depth++)
        {
            if (schema.Str("$ref") is { } r && r.StartsWith(ModelSchemas.RefPrefix, StringComparison.Ordinal) &&
                schemas.TryGetValue(r[ModelSchemas.RefPrefix.Length..], out var target))
            {
                schema = target;
            }
            else if (schema["allOf"] is JsonArray { Count: 1 } all && all[0] is JsonObject only && schema.Obj("properties") is null)
            {
                schema = only;
            }
            else
            {
                break;
            }
        }

        return schema;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
