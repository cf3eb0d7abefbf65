using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Controllers.Workloads;

/// <summary>Shared pieces of the workload controllers: hashes, owner references, conditions, int-or-percent.</summary>
internal static class WorkloadJson
{
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>rand.SafeEncodeString(fmt.Sprint(fnv32a(json, collisionCount))): the pod-template-hash and revision hash format.</summary>
    public static string Hash(JsonNode node, long collisionCount = 0)
    {
        var bytes = KubeJson.Bytes(node);
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        if (collisionCount > 0)
        {
            foreach (var b in BitConverter.GetBytes(collisionCount))
            {
                hash = unchecked((hash ^ b) * 16777619u);
            }
        }

        var digits = hash.ToString(CultureInfo.InvariantCulture);
        return string.Concat(digits.Select(c => SafeAlphabet[c % SafeAlphabet.Length]));
    }

    public static JsonObject ControllerRef(string kind, JsonObject owner) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = kind,
        ["name"] = owner.Name(),
        ["uid"] = owner.Uid(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    /// <summary>Fresh metadata for an object a controller creates: namespace, uid, creationTimestamp, owner.</summary>
    public static JsonObject NewMetadata(string ns, string kind, JsonObject owner, DateTimeOffset now) => new()
    {
        ["namespace"] = ns,
        ["uid"] = Guid.NewGuid().ToString(),
        ["creationTimestamp"] = Server.ObjectRules.Timestamp(now),
        ["ownerReferences"] = new JsonArray(ControllerRef(kind, owner)),
    };

    public static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string> map) => new(map, StringComparer.Ordinal);

    public static JsonObject ToJson(IReadOnlyDictionary<string, string> map)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            obj[k] = v;
        }

        return obj;
    }

    /// <summary>intstr.GetScaledValueFromIntOrPercent.</summary>
    public static int Scaled(JsonNode? value, int total, bool roundUp, int fallback)
    {
        if (value is null)
        {
            return fallback;
        }

        if (value is JsonValue v && v.TryGetValue<string>(out var text))
        {
            if (text.EndsWith('%') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
            {
                var scaled = percent * total / 100.0;
                return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
            }

            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : fallback;
        }

        return value is JsonValue number && number.TryGetValue<long>(out var l) ? (int)l : fallback;
    }

    public static int Int(JsonNode? node, params string[] path) => (int)(node.Long(path) ?? 0);

    /// <summary>
    /// Sets a condition like the controllers' SetCondition helpers: unchanged when status and
    /// reason are the same (unless <paramref name="refresh"/>), lastTransitionTime kept while the status holds, appended last.
    /// </summary>
    public static void SetCondition(JsonObject status, string type, string value, string reason, string message, DateTimeOffset now, bool withUpdateTime, bool refresh = false)
    {
        var conditions = status.Arr("conditions") ?? new JsonArray();
        status["conditions"] = conditions;
        var current = conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);
        if (!refresh && current is not null && current.Str("status") == value && current.Str("reason") == reason)
        {
            return;
        }

        var at = Server.ObjectRules.Timestamp(now);
        var transition = current is not null && current.Str("status") == value ? current.Str("lastTransitionTime") ?? at : at;
        if (current is not null)
        {
            conditions.Remove(current);
        }

        var condition = new JsonObject { ["type"] = type, ["status"] = value };
        if (withUpdateTime)
        {
            condition["lastUpdateTime"] = at;
        }

        condition["lastTransitionTime"] = transition;
        condition["reason"] = reason;
        condition["message"] = message;
        conditions.Add(condition);
    }

    public static string Text(long n) => n.ToString(CultureInfo.InvariantCulture);
}
