using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Server;

/// <summary>
/// What the API server's registry strategies do to every object on create and update:
/// identity checks, name generation and validation, server-owned metadata, generation and the
/// status/spec split of resources with a status subresource.
/// </summary>
internal static partial class ObjectRules
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>kind and apiVersion must match the URL (they may be left out); both are then set, first, as the API server writes them.</summary>
    public static void CheckKind(ResourceType type, JsonObject obj)
    {
        var apiVersion = obj.Str("apiVersion");
        var kind = obj.Str("kind");
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != type.ApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }

        var rest = obj.Where(p => p.Key is not "kind" and not "apiVersion").ToList();
        obj.Clear();
        obj["kind"] = type.Kind;
        obj["apiVersion"] = type.ApiVersion;
        foreach (var (k, v) in rest)
        {
            obj[k] = v;
        }
    }

    /// <summary>A patch or apply may not rename or move the object.</summary>
    public static void CheckIdentity(ResourceType type, RequestInfo info, JsonObject obj)
    {
        var name = obj.Name();
        if (name.Length > 0 && name != info.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({name}) does not match the name on the URL ({info.Name})");
        }

        obj.Metadata()["name"] = info.Name;
        if (type.Namespaced)
        {
            var ns = obj.Namespace();
            if (ns.Length > 0 && ns != info.Namespace)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            obj.Metadata()["namespace"] = info.Namespace;
        }
    }

    public static void GenerateName(JsonObject obj)
    {
        var meta = obj.Metadata();
        var prefix = meta.Str("generateName");
        if (obj.Name().Length == 0 && !string.IsNullOrEmpty(prefix))
        {
            var suffix = new char[5];
            for (var i = 0; i < suffix.Length; i++)
            {
                suffix[i] = NameAlphabet[RandomNumberGenerator.GetInt32(NameAlphabet.Length)];
            }

            meta["name"] = (prefix.Length > 58 ? prefix[..58] : prefix) + new string(suffix);
        }
    }

    public static void ValidateMetadata(ResourceType type, JsonObject obj)
    {
        var name = obj.Name();
        if (name.Length == 0)
        {
            throw ApiException.Invalid(type, name, ("metadata.name", "FieldValueRequired", "Required value: name or generateName is required"));
        }

        var dns1035 = type.Plural is "services" or "namespaces";
        var valid = type.Plural == "namespaces" ? Dns1123Label().IsMatch(name) && name.Length <= 63
            : type.Plural == "services" ? Dns1035Label().IsMatch(name) && name.Length <= 63
            : type.Group.Length > 0 && type.Group.StartsWith("rbac", StringComparison.Ordinal) ? !name.Contains('/', StringComparison.Ordinal) && name is not "." and not ".."
            : Dns1123Subdomain().IsMatch(name) && name.Length <= 253;
        if (!valid)
        {
            var message = type.Plural == "namespaces"
                ? $"Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                : dns1035
                    ? $"Invalid value: \"{name}\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
                    : $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
            throw ApiException.Invalid(type, name, ("metadata.name", "FieldValueInvalid", message));
        }

        foreach (var (key, value) in obj.Labels())
        {
            if (value.Length > 63 || !LabelValue().IsMatch(value))
            {
                throw ApiException.Invalid(type, name, ($"metadata.labels", "FieldValueInvalid", $"Invalid value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
            }

            if (key.Length == 0)
            {
                throw ApiException.Invalid(type, name, ("metadata.labels", "FieldValueInvalid", "Invalid value: \"\": name part must be non-empty"));
            }
        }
    }

    /// <summary>Server-owned metadata and kind defaults for a new object.</summary>
    public static void PrepareForCreate(ResourceType type, JsonObject obj, DateTimeOffset now, KubeSimContext sim)
    {
        var meta = obj.Metadata();
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Timestamp(now);
        meta.Remove("resourceVersion");
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta.Remove("selfLink");
        if (HasGeneration(type))
        {
            meta["generation"] = 1;
        }
        else
        {
            meta.Remove("generation");
        }

        if (type.HasSubresource("status") && type.Plural is not "nodes" and not "namespaces")
        {
            obj.Remove("status");
        }

        Defaults.Apply(type, obj, now, sim);
    }

    /// <summary>
    /// Carries over what an update may not change: identity and timestamps always, status
    /// through the main resource and everything but status through /status.
    /// </summary>
    public static void PrepareForUpdate(ResourceType type, string subresource, JsonObject live, JsonObject updated)
    {
        var liveMeta = live.Metadata();
        var meta = updated.Metadata();
        if (subresource == "status")
        {
            var status = updated["status"]?.DeepClone();
            var rv = meta["resourceVersion"]?.DeepClone();
            updated.Clear();
            foreach (var (k, v) in live)
            {
                updated[k] = k == "status" ? null : v?.DeepClone();
            }

            updated["status"] = status;
            updated.Metadata()["resourceVersion"] = rv;
            if (status is null)
            {
                updated.Remove("status");
            }

            return;
        }

        foreach (var key in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (liveMeta[key] is { } value)
            {
                meta[key] = value.DeepClone();
            }
            else
            {
                meta.Remove(key);
            }
        }

        if (type.HasSubresource("status") && type.Plural is not "namespaces" and not "nodes")
        {
            if (live["status"] is { } status)
            {
                updated["status"] = status.DeepClone();
            }
            else
            {
                updated.Remove("status");
            }
        }

        if (HasGeneration(type) && SpecChanged(live, updated))
        {
            meta["generation"] = (live.Long("metadata", "generation") ?? 0) + 1;
        }
    }

    /// <summary>Kinds whose strategies track spec changes in metadata.generation (custom resources always do).</summary>
    private static bool HasGeneration(ResourceType type) => type.IsCustom || type.StorageKey is
        "deployments.apps" or "replicasets.apps" or "statefulsets.apps" or "daemonsets.apps" or "jobs.batch" or "cronjobs.batch"
        or "replicationcontrollers" or "horizontalpodautoscalers.autoscaling" or "poddisruptionbudgets.policy"
        or "networkpolicies.networking.k8s.io" or "ingresses.networking.k8s.io" or "customresourcedefinitions.apiextensions.k8s.io"
        or "priorityclasses.scheduling.k8s.io";

    private static bool SpecChanged(JsonObject live, JsonObject updated)
    {
        foreach (var key in live.Select(p => p.Key).Union(updated.Select(p => p.Key)))
        {
            if (key is "metadata" or "status" or "kind" or "apiVersion")
            {
                continue;
            }

            if (!JsonNode.DeepEquals(live[key], updated[key]))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
