using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.OpenApi;

/// <summary>
/// Turns a CustomResourceDefinition (apiextensions.k8s.io/v1, as JSON) into the resources it
/// serves, validates it like the real server's main 422 checks, and fills in its established
/// status. Register the result with <see cref="ResourceRegistry.SetCustom"/>.
/// </summary>
public static partial class CrdResources
{
    /// <summary>
    /// The served versions, highest kube-aware priority first (v1 &gt; v1beta2 &gt; v1beta1 &gt; v1alpha1 &gt; other),
    /// so the first is the preferred version, as the real discovery orders them. Each carries its
    /// openAPIV3Schema in <see cref="ResourceType.CustomSchema"/>.
    /// </summary>
    public static IReadOnlyList<ResourceType> FromCrd(JsonObject crd)
    {
        var spec = crd.Obj("spec") ?? new JsonObject();
        var group = spec.Str("group") ?? "";
        var plural = spec.Str("names", "plural") ?? "";
        var kind = spec.Str("names", "kind") ?? "";
        var namespaced = spec.Str("scope") != "Cluster";
        var shortNames = Strings(spec.Arr("names", "shortNames"));
        var categories = Strings(spec.Arr("names", "categories"));
        var result = new List<ResourceType>();
        foreach (var v in (spec.Arr("versions") ?? []).OfType<JsonObject>())
        {
            if (v.Bool("served") != true || v.Str("name") is not { Length: > 0 } name)
            {
                continue;
            }

            var subresources = new List<string>();
            if (v.Obj("subresources", "status") is not null)
            {
                subresources.Add("status");
            }

            if (v.Obj("subresources", "scale") is not null)
            {
                subresources.Add("scale");
            }

            result.Add(new ResourceType(group, name, plural, kind, namespaced, shortNames, categories, ResourceType.AllVerbs, subresources)
            {
                IsCustom = true,
                CustomSchema = v.Obj("schema", "openAPIV3Schema")?.DeepClone().AsObject(),
            });
        }

        result.Sort((a, b) => CompareVersions(a.Version, b.Version));
        return result;
    }

    /// <summary>
    /// Orders versions by Kubernetes priority: GA before beta before alpha, higher numbers first,
    /// then strings that are not kube versions alphabetically.
    /// </summary>
    public static int CompareVersions(string a, string b)
    {
        var (ka, ma, la) = Parse(a);
        var (kb, mb, lb) = Parse(b);
        if (ka != kb)
        {
            return kb.CompareTo(ka);
        }

        if (ka == 0)
        {
            return string.CompareOrdinal(a, b);
        }

        return ma != mb ? mb.CompareTo(ma) : lb.CompareTo(la);
    }

    /// <summary>
    /// Sets status.conditions NamesAccepted and Established (True), status.acceptedNames and
    /// status.storedVersions (adding the storage version), as the CRD controllers do.
    /// </summary>
    public static void MarkEstablished(JsonObject crd, DateTimeOffset now)
    {
        var spec = crd.Obj("spec") ?? new JsonObject();
        var status = crd["status"] as JsonObject ?? new JsonObject();
        crd["status"] = status;
        var time = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        var names = spec.Obj("names")?.DeepClone().AsObject() ?? new JsonObject();
        var kind = names.Str("kind") ?? "";
        names["singular"] = names.Str("singular") is { Length: > 0 } s ? s : kind.ToLowerInvariant();
        names["listKind"] = names.Str("listKind") is { Length: > 0 } lk ? lk : kind + "List";
        status["acceptedNames"] = names;

        var conditions = status["conditions"] as JsonArray ?? new JsonArray();
        SetCondition(conditions, "NamesAccepted", "NoConflicts", "no conflicts found", time);
        SetCondition(conditions, "Established", "InitialNamesAccepted", "the initial names have been accepted", time);
        status["conditions"] = conditions;

        var stored = Strings(status.Arr("storedVersions")).ToList();
        var storage = (spec.Arr("versions") ?? []).OfType<JsonObject>().FirstOrDefault(v => v.Bool("storage") == true)?.Str("name");
        if (storage is not null && !stored.Contains(storage))
        {
            stored.Add(storage);
        }

        status["storedVersions"] = new JsonArray([.. stored.Select(v => (JsonNode)v)]);
    }

    private static void SetCondition(JsonArray conditions, string type, string reason, string message, string time)
    {
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);
        if (existing is not null && existing.Str("status") == "True")
        {
            return;
        }

        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = time,
            ["reason"] = reason,
            ["message"] = message,
        };
        if (existing is not null)
        {
            conditions[conditions.IndexOf(existing)] = condition;
        }
        else
        {
            conditions.Add(condition);
        }
    }

    private static string[] Strings(JsonArray? array) =>
        array is null ? [] : [.. array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>()];

    [GeneratedRegex("^v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?$")]
    private static partial Regex KubeVersion();

    private static (int Kind, int Major, int Minor) Parse(string version)
    {
        var m = KubeVersion().Match(version);
        if (!m.Success)
        {
            return (0, 0, 0);
        }

        var major = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (!m.Groups[2].Success)
        {
            return (3, major, 0);
        }

        var minor = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        return (m.Groups[2].Value == "beta" ? 2 : 1, major, minor);
    }
}
