using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Query;

/// <content>
/// Which field labels each resource accepts (the scheme's field label conversion funcs, with
/// their error wording) and how each field's value is read from an object.
/// </content>
public sealed partial class FieldSelector
{
    private static readonly string[] PodFields =
    [
        "metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
        "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName",
    ];

    private static readonly string[] CoreEventFields =
    [
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
        "reason", "reportingComponent", "source", "type", "metadata.namespace", "metadata.name",
    ];

    /// <summary>events.k8s.io label -> the core label it is stored and matched under.</summary>
    private static readonly Dictionary<string, string> EventsV1Mapping = new(StringComparer.Ordinal)
    {
        ["reason"] = "reason",
        ["regarding.kind"] = "involvedObject.kind",
        ["regarding.namespace"] = "involvedObject.namespace",
        ["regarding.name"] = "involvedObject.name",
        ["regarding.uid"] = "involvedObject.uid",
        ["regarding.apiVersion"] = "involvedObject.apiVersion",
        ["regarding.resourceVersion"] = "involvedObject.resourceVersion",
        ["regarding.fieldPath"] = "involvedObject.fieldPath",
        ["reportingController"] = "reportingComponent",
        ["source"] = "source",
        ["type"] = "type",
        ["metadata.namespace"] = "metadata.namespace",
        ["metadata.name"] = "metadata.name",
    };

    private sealed record Rules(Func<string, string> Convert, Func<JsonObject, string, string> ValueOf);

    private static Rules RulesFor(ResourceType type, IReadOnlyCollection<string>? selectableFields)
    {
        if (type.IsCustom)
        {
            // CRDs list selectableFields as JSONPaths (".spec.color"); the field label drops the dot.
            var extra = (selectableFields ?? []).Select(f => f.TrimStart('.')).ToHashSet(StringComparer.Ordinal);
            return new Rules(
                label => label == "metadata.name" || (type.Namespaced && label == "metadata.namespace") || extra.Contains(label)
                    ? label
                    : throw NotSupported(label),
                (obj, field) => field.StartsWith("metadata.", StringComparison.Ordinal) ? Meta(obj, field) : Text(obj.At(field.Split('.'))));
        }

        return (type.Group, type.Plural) switch
        {
            ("", "pods") => new Rules(
                label => label == "spec.host" ? "spec.nodeName" : Allow(label, PodFields),
                PodValue),
            ("", "nodes") => Simple(["metadata.name", "spec.unschedulable"], NotSupported, (o, f) => Bool(o, "spec", "unschedulable")),
            ("", "replicationcontrollers") => Simple(["metadata.name", "metadata.namespace", "status.replicas"], NotSupported, (o, f) => Int(o, "status", "replicas")),
            ("", "events") => Simple(CoreEventFields, NotSupported, EventValue),
            ("events.k8s.io", "events") => new Rules(
                label => EventsV1Mapping.TryGetValue(label, out var core) ? core : throw NotSupported(label),
                (o, f) => f.StartsWith("metadata.", StringComparison.Ordinal) ? Meta(o, f) : EventValue(o, f)),
            ("", "namespaces") => Simple(["status.phase", "metadata.name"], NotSupported, (o, f) => o.Str("status", "phase") ?? ""),
            ("", "secrets") => Simple(["type", "metadata.namespace", "metadata.name"], NotSupported, (o, f) => o.Str("type") ?? ""),
            ("", "services") => Simple(["metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type"], NotSupported, (o, f) => Text(o.At(f.Split('.')))),
            ("apps", "statefulsets") => Simple(
                ["metadata.name", "metadata.namespace", "status.successful"],
                label => ApiException.BadRequest($"field label not supported for appsv1.StatefulSet: {label}"),
                (o, f) => ""),
            ("batch", "jobs") => Simple(
                ["metadata.name", "metadata.namespace", "status.successful"],
                label => ApiException.BadRequest($"field label {LabelValidation.GoQuote(label)} not supported for batchv1.Job"),
                (o, f) => Int(o, "status", "succeeded")),
            _ => new Rules(
                label => label is "metadata.name" or "metadata.namespace"
                    ? label
                    : throw ApiException.BadRequest($"{LabelValidation.GoQuote(label)} is not a known field selector: only \"metadata.name\", \"metadata.namespace\""),
                (o, f) => Meta(o, f)),
        };
    }

    /// <summary>Rules for a fixed list of labels; metadata fields are read generically, the rest by <paramref name="value"/>.</summary>
    private static Rules Simple(string[] allowed, Func<string, ApiException> error, Func<JsonObject, string, string> value) =>
        new(
            label => allowed.Contains(label) ? label : throw error(label),
            (o, f) => f.StartsWith("metadata.", StringComparison.Ordinal) ? Meta(o, f) : value(o, f));

    private static string Allow(string label, string[] allowed) => allowed.Contains(label) ? label : throw NotSupported(label);

    private static ApiException NotSupported(string label) => ApiException.BadRequest($"field label not supported: {label}");

    private static string Meta(JsonObject obj, string field) => field switch
    {
        "metadata.name" => obj.Name(),
        "metadata.namespace" => obj.Namespace(),
        _ => "",
    };

    private static string PodValue(JsonObject pod, string field)
    {
        var ips = pod.Arr("status", "podIPs")?.Select(ip => ip.Str("ip") ?? "").ToList() ?? [];
        return field switch
        {
            "metadata.name" or "metadata.namespace" => Meta(pod, field),
            "spec.hostNetwork" => Bool(pod, "spec", "hostNetwork"),
            "status.podIP" => ips.Count > 0 ? ips[0] : pod.Str("status", "podIP") ?? "",
            // Accepted (the conversion func is shared with downward-API fieldRefs) but not in the
            // pod's selectable field set, so it always reads as "".
            "status.podIPs" => "",
            _ => Text(pod.At(field.Split('.'))),
        };
    }

    /// <summary>Core event fields, read from either a core/v1 or an events.k8s.io/v1 shaped object.</summary>
    private static string EventValue(JsonObject ev, string field)
    {
        var reference = ev.Obj("involvedObject") ?? ev.Obj("regarding");
        var controller = ev.Str("reportingController") ?? ev.Str("reportingComponent") ?? "";
        if (field.StartsWith("involvedObject.", StringComparison.Ordinal))
        {
            return reference.Str(field["involvedObject.".Length..]) ?? "";
        }

        return field switch
        {
            "reason" => ev.Str("reason") ?? "",
            "type" => ev.Str("type") ?? "",
            "reportingComponent" => controller,
            "source" => FirstNonEmpty(ev.Str("source", "component"), ev.Str("deprecatedSource", "component"), controller),
            _ => "",
        };
    }

    private static string FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "";

    private static string Bool(JsonObject obj, params string[] path) => obj.Bool(path) == true ? "true" : "false";

    private static string Int(JsonObject obj, params string[] path) =>
        (obj.Long(path) ?? 0).ToString(CultureInfo.InvariantCulture);

    /// <summary>A scalar as the field set holds it: strings as-is, booleans "true"/"false", numbers in decimal.</summary>
    private static string Text(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v => v.ToJsonString(),
        null => "",
        _ => node.ToJsonString(),
    };
}
