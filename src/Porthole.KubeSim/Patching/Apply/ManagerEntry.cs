using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Patching.Apply;

/// <summary>
/// One metadata.managedFields entry: who (manager, operation, subresource, and for updates the
/// API version) owns which fields, and when the set last changed.
/// </summary>
internal sealed class ManagerEntry
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    public required string Manager { get; init; }

    public required string Operation { get; init; }

    public required string ApiVersion { get; set; }

    public string Subresource { get; init; } = "";

    public string? Time { get; set; }

    public FieldSet Set { get; set; } = new();

    /// <summary>The real server's manager identifier: the API version counts only for updates.</summary>
    public string Identity =>
        $"{Manager}\n{Operation}\n{(Operation == Apply ? "" : ApiVersion)}\n{Subresource}";

    /// <summary>The real server's JSON manager identifier, by which it sorts managers.</summary>
    public string IdentifierJson
    {
        get
        {
            var sb = new StringBuilder("{\"manager\":");
            GoJson.WriteString(sb, Manager);
            sb.Append(",\"operation\":");
            GoJson.WriteString(sb, Operation);
            if (Operation == Update)
            {
                sb.Append(",\"apiVersion\":");
                GoJson.WriteString(sb, ApiVersion);
            }

            if (Subresource.Length > 0)
            {
                sb.Append(",\"subresource\":");
                GoJson.WriteString(sb, Subresource);
            }

            return sb.Append('}').ToString();
        }
    }

    /// <summary>The manager as conflict messages name it, e.g. <c>"kubectl-edit" using apps/v1</c>.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        GoJson.WriteString(sb, Manager);
        if (Subresource.Length > 0)
        {
            sb.Append(" with subresource ");
            GoJson.WriteString(sb, Subresource);
        }

        if (Operation == Update)
        {
            sb.Append(" using ").Append(ApiVersion);
        }

        return sb.ToString();
    }

    public ManagerEntry WithSet(FieldSet set) => new()
    {
        Manager = Manager,
        Operation = Operation,
        ApiVersion = ApiVersion,
        Subresource = Subresource,
        Time = Time,
        Set = set,
    };

    public static string FormatTime(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public JsonObject ToJson()
    {
        var obj = new JsonObject
        {
            ["manager"] = Manager,
            ["operation"] = Operation,
            ["apiVersion"] = ApiVersion,
        };
        if (Time is not null)
        {
            obj["time"] = Time;
        }

        obj["fieldsType"] = "FieldsV1";
        obj["fieldsV1"] = Set.ToFieldsV1();
        if (Subresource.Length > 0)
        {
            obj["subresource"] = Subresource;
        }

        return obj;
    }

    /// <summary>Reads an entry; throws <see cref="FormatException"/> as the real decoder would reject it.</summary>
    public static ManagerEntry FromJson(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            throw new FormatException("managedFields entry is not an object");
        }

        var fieldsType = Str(obj, "fieldsType");
        if (fieldsType != "FieldsV1")
        {
            throw new FormatException($"invalid fieldsType \"{fieldsType}\"");
        }

        var operation = Str(obj, "operation");
        if (operation is not (Apply or Update))
        {
            throw new FormatException($"invalid operation \"{operation}\"");
        }

        return new ManagerEntry
        {
            Manager = Str(obj, "manager"),
            Operation = operation,
            ApiVersion = Str(obj, "apiVersion"),
            Subresource = Str(obj, "subresource"),
            Time = obj["time"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null,
            Set = obj["fieldsV1"] is JsonObject f ? FieldSet.FromFieldsV1(f) : new FieldSet(),
        };
    }

    private static string Str(JsonObject obj, string key) =>
        obj[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    /// <summary>Seconds since the epoch of <see cref="Time"/>, 0 when unset, for sorting.</summary>
    public long Seconds =>
        Time is not null && DateTimeOffset.TryParse(Time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUnixTimeSeconds()
            : 0;
}
