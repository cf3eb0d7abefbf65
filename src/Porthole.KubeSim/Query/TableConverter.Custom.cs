using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Query;

/// <content>Custom resources: Name plus the CRD version's additionalPrinterColumns (default: Age).</content>
public static partial class TableConverter
{
    private static Printer CustomPrinter(ResourceType type, JsonObject? crd)
    {
        var version = crd.Arr("spec", "versions")?.OfType<JsonObject>().FirstOrDefault(v => v.Str("name") == type.Version);
        var declared = version.Arr("additionalPrinterColumns")?.OfType<JsonObject>().ToList()
            ?? crd.Arr("spec", "additionalPrinterColumns")?.OfType<JsonObject>().ToList()
            ?? [];
        if (declared.Count == 0)
        {
            declared = [new JsonObject { ["name"] = "Age", ["type"] = "date", ["jsonPath"] = ".metadata.creationTimestamp" }];
        }

        var columns = new List<Column> { NameColumn };
        var paths = new List<(string Type, SimpleJsonPath? Path)>();
        foreach (var c in declared)
        {
            var jsonPath = c.Str("jsonPath") ?? c.Str("JSONPath") ?? "";
            var description = c.Str("description");
            columns.Add(new Column(
                c.Str("name") ?? "",
                c.Str("type") ?? "string",
                string.IsNullOrEmpty(description) ? $"Custom resource definition column (in JSONPath format): {jsonPath}" : description,
                (int)(c.Long("priority") ?? 0),
                c.Str("format") ?? ""));
            paths.Add((c.Str("type") ?? "string", SimpleJsonPath.TryParse(jsonPath)));
        }

        return new Printer(columns, (obj, now) =>
        {
            var cells = new JsonArray { JsonValue.Create(obj.Name()) };
            foreach (var (columnType, path) in paths)
            {
                var results = path?.Evaluate(obj) ?? [];
                cells.Add(results.Count == 0 ? null : CustomCell(columnType, results[0], now));
            }

            return new PrintedRow(cells);
        });
    }

    /// <summary>cellForJSONValue, and jsonpath's text printing for "string" columns.</summary>
    private static JsonNode? CustomCell(string columnType, JsonNode value, DateTimeOffset now)
    {
        var element = JsonSerializer.SerializeToElement(value);
        switch (columnType)
        {
            case "string":
                return JsonValue.Create(GoText(element));
            case "integer" when element.ValueKind == JsonValueKind.Number:
                return element.TryGetInt64(out var l) ? JsonValue.Create(l) : JsonValue.Create((long)element.GetDouble());
            case "number" when element.ValueKind == JsonValueKind.Number:
                return JsonValue.Create(element.GetDouble());
            case "boolean" when element.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return JsonValue.Create(element.GetBoolean());
            case "date" when element.ValueKind == JsonValueKind.String:
                return JsonValue.Create(HumanDuration.TryParse(element.GetString(), out var t) ? HumanDuration.Format(now - t) : "<invalid>");
            default:
                return null;
        }
    }

    /// <summary>How Go's fmt prints a decoded JSON value: maps as map[k:v], slices as [a b].</summary>
    private static string GoText(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                return e.GetString() ?? "";
            case JsonValueKind.Number:
                return e.TryGetInt64(out var l) ? l.ToString(CultureInfo.InvariantCulture) : GoFloat(e.GetDouble());
            case JsonValueKind.True:
                return "true";
            case JsonValueKind.False:
                return "false";
            case JsonValueKind.Array:
                return "[" + string.Join(" ", e.EnumerateArray().Select(GoText)) + "]";
            case JsonValueKind.Object:
                var sb = new StringBuilder("map[");
                sb.AppendJoin(" ", e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}:{GoText(p.Value)}"));
                return sb.Append(']').ToString();
            default:
                return "<nil>";
        }
    }

    /// <summary>Go's %v for a float64 (%g with the shortest representation).</summary>
    private static string GoFloat(double d)
    {
        var exponent = d == 0 ? 0 : (int)Math.Floor(Math.Log10(Math.Abs(d)));
        if (exponent < -4 || exponent >= 21)
        {
            var text = d.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
            var parts = text.Split('e');
            if (parts.Length == 2)
            {
                var exp = int.Parse(parts[1], CultureInfo.InvariantCulture);
                return $"{parts[0]}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
            }

            return text;
        }

        return d.ToString("R", CultureInfo.InvariantCulture);
    }
}
