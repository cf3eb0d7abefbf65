using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Query;

/// <summary>
/// Server-side printing: turns objects into a meta.k8s.io Table with the columns and cells the
/// real API server's printers produce (what "kubectl get" shows), including the wide columns
/// (priority 1) and, per includeObject, the objects as PartialObjectMetadata or in full.
/// </summary>
public static partial class TableConverter
{
    internal const string NameDescription =
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    internal const string CreationTimestampDescription =
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    /// <summary>
    /// Builds the Table for a list (or a single object) of <paramref name="type"/>.
    /// </summary>
    /// <param name="type">The resource listed.</param>
    /// <param name="objects">The objects, already filtered and paged.</param>
    /// <param name="resourceVersion">The list's (or object's) resourceVersion for Table.metadata.</param>
    /// <param name="continueToken">The continue token of a paged list, or null.</param>
    /// <param name="remainingItemCount">remainingItemCount of a paged list, or null.</param>
    /// <param name="includeObject">The includeObject query parameter: "None", "Metadata" (also for "") or "Object".</param>
    /// <param name="now">The time ages are computed against.</param>
    /// <param name="crd">For custom resources, the CustomResourceDefinition (its additionalPrinterColumns).</param>
    /// <param name="apiVersion">"meta.k8s.io/v1" or "meta.k8s.io/v1beta1", as the Accept header asked.</param>
    /// <param name="noHeaders">
    /// True for every watch event after the first: the real server then sends "columnDefinitions": null.
    /// </param>
    /// <exception cref="ApiException">400 BadRequest for an unknown includeObject.</exception>
    public static JsonObject ToTable(
        ResourceType type,
        IReadOnlyList<JsonObject> objects,
        string resourceVersion,
        string? continueToken,
        long? remainingItemCount,
        string includeObject,
        DateTimeOffset now,
        JsonObject? crd = null,
        string apiVersion = "meta.k8s.io/v1",
        bool noHeaders = false)
    {
        if (includeObject is not ("" or "None" or "Metadata" or "Object"))
        {
            throw ApiException.BadRequest(
                $"includeObject: Unsupported value: {LabelValidation.GoQuote(includeObject)}: supported values: \"Metadata\", \"None\", \"Object\"");
        }

        var printer = type.IsCustom ? CustomPrinter(type, crd) : PrinterFor(type);
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var printed = printer.Row(obj, now);
            var row = new JsonObject { ["cells"] = printed.Cells };
            if (printed.Conditions is not null)
            {
                row["conditions"] = printed.Conditions;
            }

            row["object"] = includeObject switch
            {
                "None" => null,
                "Object" => obj.DeepClone(),
                _ => PartialObjectMetadata(obj, apiVersion),
            };
            rows.Add(row);
        }

        var metadata = new JsonObject();
        if (resourceVersion.Length > 0)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        if (!string.IsNullOrEmpty(continueToken))
        {
            metadata["continue"] = continueToken;
        }

        if (remainingItemCount is { } remaining)
        {
            metadata["remainingItemCount"] = remaining;
        }

        var columns = new JsonArray();
        foreach (var c in printer.Columns)
        {
            columns.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            });
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = apiVersion,
            ["metadata"] = metadata,
            ["columnDefinitions"] = noHeaders ? null : columns,
            ["rows"] = rows,
        };
    }

    private static JsonObject PartialObjectMetadata(JsonObject obj, string apiVersion) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = apiVersion,
        ["metadata"] = obj["metadata"]?.DeepClone() ?? new JsonObject(),
    };

    /// <summary>A column definition (metav1.TableColumnDefinition).</summary>
    internal sealed record Column(string Name, string Type, string Description, int Priority = 0, string Format = "");

    /// <summary>The cells of one row and its optional row conditions.</summary>
    internal sealed record PrintedRow(JsonArray Cells, JsonArray? Conditions = null);

    /// <summary>The columns of a resource and how one object becomes a row.</summary>
    internal sealed record Printer(IReadOnlyList<Column> Columns, Func<JsonObject, DateTimeOffset, PrintedRow> Row);

    // Properties, not fields: the printers in the other partial files are built from these
    // during static initialisation, whose order across files is not defined.
    internal static Column NameColumn => new("Name", "string", NameDescription, Format: "name");

    internal static Column AgeColumn => new("Age", "string", CreationTimestampDescription);

    private static Printer PrinterFor(ResourceType type) => (type.Group, type.Plural) switch
    {
        ("", "pods") => PodPrinter,
        ("apps", "deployments") => DeploymentPrinter,
        ("apps", "replicasets") => ReplicaSetPrinter,
        ("apps", "statefulsets") => StatefulSetPrinter,
        ("apps", "daemonsets") => DaemonSetPrinter,
        ("", "serviceaccounts") => ServiceAccountPrinter,
        ("batch", "jobs") => JobPrinter,
        ("batch", "cronjobs") => CronJobPrinter,
        ("", "services") => ServicePrinter,
        ("", "nodes") => NodePrinter,
        ("", "events") or ("events.k8s.io", "events") => EventPrinter,
        ("", "namespaces") => NamespacePrinter,
        ("", "configmaps") => ConfigMapPrinter,
        ("", "secrets") => SecretPrinter,
        ("", "endpoints") => EndpointsPrinter,
        ("discovery.k8s.io", "endpointslices") => EndpointSlicePrinter,
        ("policy", "poddisruptionbudgets") => PodDisruptionBudgetPrinter,
        ("", "resourcequotas") => ResourceQuotaPrinter,
        ("rbac.authorization.k8s.io", "rolebindings" or "clusterrolebindings") => RoleBindingPrinter,
        _ => DefaultPrinter,
    };

    /// <summary>rest.DefaultTableConvertor: Name and the creation time in RFC 3339.</summary>
    private static readonly Printer DefaultPrinter = new(
        [NameColumn, new Column("Created At", "date", CreationTimestampDescription)],
        (obj, _) => new PrintedRow(Cells(obj.Name(), CreatedAt(obj))));

    private static string CreatedAt(JsonObject obj) =>
        HumanDuration.TryParse(obj.Str("metadata", "creationTimestamp"), out var t)
            ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
            : "0001-01-01T00:00:00Z";

    internal static string Age(JsonObject obj, DateTimeOffset now) => HumanDuration.Since(obj.Str("metadata", "creationTimestamp"), now);

    internal static JsonArray Cells(params object?[] values)
    {
        var cells = new JsonArray();
        foreach (var v in values)
        {
            cells.Add(v switch
            {
                null => null,
                JsonNode n => n,
                string s => JsonValue.Create(s),
                long l => JsonValue.Create(l),
                int i => JsonValue.Create((long)i),
                double d => JsonValue.Create(d),
                bool b => JsonValue.Create(b),
                _ => JsonValue.Create(v.ToString()),
            });
        }

        return cells;
    }

    internal static string OrNone(string? value) => string.IsNullOrEmpty(value) ? "<none>" : value;
}
