using System.Text;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Discovery;

namespace Porthole.KubeSim.OpenApi;

/// <summary>
/// The OpenAPI documents kubectl and clients fetch: the /openapi/v3 index, one v3 document per
/// group-version (/openapi/v3/api/v1, /openapi/v3/apis/apps/v1...) and the swagger 2.0 JSON of
/// /openapi/v2. Built once per resource set and rebuilt lazily after the registry changes.
/// </summary>
public sealed class OpenApiDocuments
{
    private const string Json = "application/json";

    private readonly RegistrySnapshot<Snapshot> _snapshot;

    public OpenApiDocuments(ResourceRegistry registry)
    {
        _snapshot = new RegistrySnapshot<Snapshot>(registry, r => Build(r.All));
    }

    /// <summary>/openapi/v3: {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."}}}.</summary>
    public ServedDocument V3Index() => Current().Index;

    /// <summary>
    /// /openapi/v3/{path} for path "api/v1" or "apis/{group}/{version}", or null when not served.
    /// Serve with the document's ETag; when the request's ?hash= equals <see cref="ServedDocument.Hash"/>
    /// the real server adds "Cache-Control: public, immutable" (a stale hash gets a 301 to the current URL).
    /// </summary>
    public ServedDocument? V3(string path) => Current().GroupVersions.GetValueOrDefault(path.Trim('/'));

    /// <summary>/openapi/v2 as swagger 2.0 JSON (for Accept: application/json).</summary>
    public ServedDocument V2() => Current().V2.Value;

    /// <summary>/openapi/v2 as the gnostic protobuf client-go asks for (<see cref="SwaggerProtobuf"/>).</summary>
    public ServedDocument V2Protobuf() => Current().V2Protobuf.Value;

    /// <summary>Every component schema currently published (built-ins and CRD versions) by name.</summary>
    internal IReadOnlyDictionary<string, JsonObject> Schemas => Current().Schemas;

    /// <summary>The component schema name of a served resource (built-in or CRD), or null when it has none.</summary>
    public static string? SchemaName(ResourceType r) =>
        r.IsCustom ? CrdSchemas.Name(r.Group, r.Version, r.Kind) : ModelSchemas.NameOf(r.Group, r.Version, r.Kind);

    private Snapshot Current() => _snapshot.Current;

    private static Snapshot Build(IReadOnlyList<ResourceType> resources)
    {
        var schemas = new Dictionary<string, JsonObject>(ModelSchemas.All, StringComparer.Ordinal);
        foreach (var r in resources.Where(r => r.IsCustom && r.CustomSchema is not null))
        {
            foreach (var (name, schema) in CrdSchemas.Components(r))
            {
                schemas[name] = schema;
            }
        }

        var documents = new Dictionary<string, ServedDocument>(StringComparer.Ordinal);
        var v3Docs = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var index = new JsonObject();
        foreach (var gv in resources.GroupBy(r => r.Group.Length == 0 ? $"api/{r.Version}" : $"apis/{r.Group}/{r.Version}"))
        {
            var paths = new JsonObject();
            foreach (var r in gv)
            {
                var name = SchemaName(r);
                var listName = r.IsCustom ? CrdSchemas.Name(r.Group, r.Version, r.Kind + "List") : ModelSchemas.NameOf(r.Group, r.Version, r.Kind + "List");
                if (name is not null && schemas.ContainsKey(name))
                {
                    OpenApiPaths.Add(paths, r, name, listName ?? name);
                }
            }

            var components = new JsonObject();
            foreach (var name in ModelSchemas.Closure(ModelSchemas.Refs(paths), schemas).Order(StringComparer.Ordinal))
            {
                components[name] = schemas[name].DeepClone();
            }

            var doc = new JsonObject
            {
                ["openapi"] = "3.0.0",
                ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = ServerVersion.GitVersion },
                ["paths"] = paths,
                ["components"] = new JsonObject { ["schemas"] = components },
            };
            var served = new ServedDocument(Encoding.UTF8.GetBytes(doc.ToJsonString()), Json);
            documents[gv.Key] = served;
            v3Docs[gv.Key] = doc;
            index[gv.Key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv.Key}?hash={served.Hash}" };
        }

        var indexDoc = new ServedDocument(Encoding.UTF8.GetBytes(new JsonObject { ["paths"] = index }.ToJsonString()), Json);
        var swagger = new Lazy<JsonObject>(() => SwaggerConverter.Document(v3Docs.Values));
        var v2 = new Lazy<ServedDocument>(() => new ServedDocument(Encoding.UTF8.GetBytes(swagger.Value.ToJsonString()), Json));
        var v2Protobuf = new Lazy<ServedDocument>(() => new ServedDocument(SwaggerProtobuf.Encode(swagger.Value), SwaggerProtobuf.MediaType));
        return new Snapshot(indexDoc, documents, v2, v2Protobuf, schemas);
    }

    private sealed record Snapshot(
        ServedDocument Index,
        Dictionary<string, ServedDocument> GroupVersions,
        Lazy<ServedDocument> V2,
        Lazy<ServedDocument> V2Protobuf,
        Dictionary<string, JsonObject> Schemas);
}
