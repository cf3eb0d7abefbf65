using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Porthole.KubeSim.OpenApi;

/// <summary>
/// OpenAPI v3 component schemas for the built-in kinds, generated once by reflection over the
/// KubernetesClient model types and named like the real ones (io.k8s.api.core.v1.Pod).
/// References use "#/components/schemas/"; <see cref="SwaggerConverter"/> derives v2.
/// </summary>
internal static partial class ModelSchemas
{
    public const string RefPrefix = "#/components/schemas/";
    public const string Meta = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    public const string TimeName = Meta + "Time";
    public const string IntOrStringName = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    public const string QuantityName = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    public const string PatchName = Meta + "Patch";
    public const string StatusName = Meta + "Status";
    public const string DeleteOptionsName = Meta + "DeleteOptions";
    public const string ObjectMetaName = Meta + "ObjectMeta";

    private static readonly Lazy<Catalog> Instance = new(Build);

    /// <summary>Every generated schema by definition name.</summary>
    public static IReadOnlyDictionary<string, JsonObject> All => Instance.Value.Schemas;

    /// <summary>The definition name of a kind, e.g. ("apps","v1","Deployment") -> io.k8s.api.apps.v1.Deployment.</summary>
    public static string? NameOf(string group, string version, string kind) =>
        Instance.Value.Kinds.GetValueOrDefault((group, version, kind));

    /// <summary>The names reachable from <paramref name="roots"/> through $ref, roots included.</summary>
    public static IReadOnlyCollection<string> Closure(IEnumerable<string> roots, IReadOnlyDictionary<string, JsonObject> schemas)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(roots);
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (!seen.Add(name) || !schemas.TryGetValue(name, out var schema))
            {
                continue;
            }

            foreach (var r in Refs(schema))
            {
                pending.Push(r);
            }
        }

        seen.RemoveWhere(n => !schemas.ContainsKey(n));
        return seen;
    }

    public static JsonObject Ref(string name) => new() { ["$ref"] = RefPrefix + name };

    /// <summary>The definition names a node refers to through "#/components/schemas/" $refs.</summary>
    public static IEnumerable<string> Refs(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "$ref" && value is JsonValue v && v.TryGetValue<string>(out var s) && s.StartsWith(RefPrefix, StringComparison.Ordinal))
                    {
                        yield return s[RefPrefix.Length..];
                    }
                    else
                    {
                        foreach (var r in Refs(value))
                        {
                            yield return r;
                        }
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    foreach (var r in Refs(item))
                    {
                        yield return r;
                    }
                }

                break;
        }
    }

    private static Catalog Build()
    {
        var catalog = new Catalog();
        catalog.Schemas[TimeName] = new JsonObject
        {
            ["description"] = "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.",
            ["type"] = "string",
            ["format"] = "date-time",
        };
        catalog.Schemas[IntOrStringName] = new JsonObject
        {
            ["description"] = "IntOrString is a type that can hold an int32 or a string.",
            ["type"] = "string",
            ["format"] = "int-or-string",
        };
        catalog.Schemas[QuantityName] = new JsonObject
        {
            ["description"] = "Quantity is a fixed-point representation of a number, such as 100m or 2Gi.",
            ["type"] = "string",
        };
        catalog.Schemas[PatchName] = new JsonObject
        {
            ["description"] = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
            ["type"] = "object",
        };

        var entities = typeof(V1Pod).Assembly.GetTypes()
            .Where(t => t.Namespace == "k8s.Models" && t.IsClass && !t.IsAbstract)
            .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
            .Where(e => e.Entity is not null && e.Entity.Kind is not null)
            .OrderBy(e => e.Entity!.Group.Length == 0 ? 0 : 1)
            .ThenBy(e => e.Entity!.Group, StringComparer.Ordinal)
            .ThenBy(e => e.Type.Name, StringComparer.Ordinal)
            .ToList();
        foreach (var (type, entity) in entities)
        {
            var name = catalog.Name(type, entity!.Group, entity.ApiVersion);
            catalog.Kinds.TryAdd((entity.Group, entity.ApiVersion, entity.Kind), name);
        }

        foreach (var (type, entity) in entities)
        {
            catalog.RootVersion = entity!.ApiVersion;
            catalog.Generate(type, entity.Group);
        }

        // The metrics.k8s.io kinds come without KubernetesEntityAttribute.
        catalog.RootVersion = "v1beta1";
        foreach (var kind in new[] { "PodMetrics", "PodMetricsList", "NodeMetrics", "NodeMetricsList" })
        {
            if (typeof(V1Pod).Assembly.GetType("k8s.Models." + kind) is { } type && NameOf(catalog, "metrics.k8s.io", "v1beta1", kind) is null)
            {
                var name = catalog.Generate(type, "metrics.k8s.io");
                catalog.Kinds[("metrics.k8s.io", "v1beta1", kind)] = name;
                catalog.Schemas[name]["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject
                {
                    ["group"] = "metrics.k8s.io",
                    ["kind"] = kind,
                    ["version"] = "v1beta1",
                });
            }
        }

        return catalog;
    }

    private sealed class Catalog
    {
        public Dictionary<string, JsonObject> Schemas { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string, string, string), string> Kinds { get; } = [];

        private readonly Dictionary<Type, string> _names = [];

        /// <summary>The version of the entity being walked, for nested types without a version prefix (metrics).</summary>
        public string? RootVersion { get; set; }

        public string Name(Type type, string rootGroup, string? fallbackVersion)
        {
            if (_names.TryGetValue(type, out var known))
            {
                return known;
            }

            var m = VersionedName().Match(type.Name);
            var shortName = m.Success ? m.Groups["name"].Value : type.Name;
            var version = m.Success ? m.Groups["ver"].Value.ToLowerInvariant() : fallbackVersion ?? "v1";
            string name;
            if (MetaTypes.Contains(shortName) && version == "v1" && !m.Groups["grp"].Success)
            {
                name = Meta + shortName;
            }
            else
            {
                var group = m.Groups["grp"].Success ? m.Groups["grp"].Value.ToLowerInvariant() : rootGroup;
                name = $"{Package(group)}.{version}.{shortName}";
            }

            _names[type] = name;
            return name;
        }

        public string Generate(Type type, string rootGroup)
        {
            var name = Name(type, rootGroup, RootVersion);
            if (Schemas.ContainsKey(name))
            {
                return name;
            }

            var schema = new JsonObject();
            Schemas[name] = schema;
            if (ModelDocs.Type(type) is { } doc)
            {
                schema["description"] = doc;
            }

            schema["type"] = "object";
            var properties = new JsonObject();
            var required = new List<string>();
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var json = p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
                if (json is null)
                {
                    continue;
                }

                properties[json] = PropertySchema(type, p, json, rootGroup);
                if (p.PropertyType.IsValueType && Nullable.GetUnderlyingType(p.PropertyType) is null)
                {
                    required.Add(json);
                }
            }

            if (RequiredByType.TryGetValue(type.Name, out var extra))
            {
                required.AddRange(extra.Where(r => !required.Contains(r) && properties.ContainsKey(r)));
            }

            schema["properties"] = properties;
            if (required.Count > 0)
            {
                schema["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]);
            }

            if (type.GetCustomAttribute<KubernetesEntityAttribute>() is { Kind: not null } entity)
            {
                schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject
                {
                    ["group"] = entity.Group,
                    ["kind"] = entity.Kind,
                    ["version"] = entity.ApiVersion,
                });
            }

            return name;
        }

        private JsonObject PropertySchema(Type declaring, PropertyInfo p, string json, string rootGroup)
        {
            var schema = TypeSchema(p.PropertyType, rootGroup, wrapRef: true);
            if (schema["type"]?.GetValue<string>() == "array")
            {
                ListExtensions.Apply(schema, declaring, json, p.PropertyType.GetGenericArguments()[0]);
            }

            if (ModelDocs.Property(declaring, p.Name) is { } doc)
            {
                schema["description"] = doc;
            }

            return schema;
        }

        public JsonObject TypeSchema(Type t, string rootGroup, bool wrapRef)
        {
            t = Nullable.GetUnderlyingType(t) ?? t;
            if (t == typeof(string))
            {
                return new JsonObject { ["type"] = "string" };
            }

            if (t == typeof(bool))
            {
                return new JsonObject { ["type"] = "boolean" };
            }

            if (t == typeof(int) || t == typeof(long))
            {
                return new JsonObject { ["type"] = "integer", ["format"] = t == typeof(int) ? "int32" : "int64" };
            }

            if (t == typeof(double) || t == typeof(float))
            {
                return new JsonObject { ["type"] = "number", ["format"] = "double" };
            }

            if (t == typeof(byte[]))
            {
                return new JsonObject { ["type"] = "string", ["format"] = "byte" };
            }

            if (t == typeof(DateTime) || t == typeof(DateTimeOffset))
            {
                return RefSchema(TimeName, wrapRef);
            }

            if (t == typeof(IntOrString))
            {
                return RefSchema(IntOrStringName, wrapRef);
            }

            if (t == typeof(ResourceQuantity))
            {
                return RefSchema(QuantityName, wrapRef);
            }

            if (IsGeneric(t, typeof(IDictionary<,>)) || IsGeneric(t, typeof(Dictionary<,>)))
            {
                return new JsonObject { ["type"] = "object", ["additionalProperties"] = TypeSchema(t.GetGenericArguments()[1], rootGroup, wrapRef: false) };
            }

            if (IsGeneric(t, typeof(IList<>)) || IsGeneric(t, typeof(List<>)) || IsGeneric(t, typeof(IEnumerable<>)))
            {
                return new JsonObject { ["type"] = "array", ["items"] = TypeSchema(t.GetGenericArguments()[0], rootGroup, wrapRef: false) };
            }

            if (t.Namespace == "k8s.Models" && t.IsClass)
            {
                return RefSchema(Generate(t, rootGroup), wrapRef);
            }

            return new JsonObject { ["x-kubernetes-preserve-unknown-fields"] = true };
        }

        private static bool IsGeneric(Type t, Type open) => t.IsGenericType && t.GetGenericTypeDefinition() == open;

        /// <summary>v3 wraps a property's $ref in allOf so its own description survives, as the real server does.</summary>
        private static JsonObject RefSchema(string name, bool wrap) =>
            wrap ? new JsonObject { ["allOf"] = new JsonArray(Ref(name)) } : Ref(name);
    }
}
