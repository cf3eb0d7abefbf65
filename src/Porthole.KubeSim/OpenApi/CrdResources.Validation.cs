using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.OpenApi;

/// <summary>The main validation of a CustomResourceDefinition, failing with 422 Invalid like the real server.</summary>
public static partial class CrdResources
{
    private static readonly ResourceType CrdType =
        BuiltInResources.Create().First(r => r.Kind == "CustomResourceDefinition");

    /// <summary>Throws <see cref="ApiException"/> 422 Invalid listing every problem found.</summary>
    public static void Validate(JsonObject crd)
    {
        var causes = new List<(string Field, string Type, string Message)>();
        var name = crd.Name();
        var spec = crd.Obj("spec") ?? new JsonObject();
        var group = spec.Str("group") ?? "";
        var plural = spec.Str("names", "plural") ?? "";
        var kind = spec.Str("names", "kind") ?? "";

        if (plural.Length > 0 && group.Length > 0 && name != $"{plural}.{group}")
        {
            causes.Add(Invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }

        if (group.Length == 0)
        {
            causes.Add(Required("spec.group"));
        }
        else if (!group.Contains('.', StringComparison.Ordinal))
        {
            causes.Add(Invalid("spec.group", group, "should be a domain with at least one dot"));
        }

        if (plural.Length == 0)
        {
            causes.Add(Required("spec.names.plural"));
        }
        else if (plural != plural.ToLowerInvariant())
        {
            causes.Add(Invalid("spec.names.plural", plural, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        }

        if (spec.Str("names", "singular") is { Length: > 0 } singular && singular != singular.ToLowerInvariant())
        {
            causes.Add(Invalid("spec.names.singular", singular, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        }

        if (kind.Length == 0)
        {
            causes.Add(Required("spec.names.kind"));
        }

        var scope = spec.Str("scope");
        if (scope is null)
        {
            causes.Add(Required("spec.scope"));
        }
        else if (scope is not ("Cluster" or "Namespaced"))
        {
            causes.Add(("spec.scope", "FieldValueNotSupported", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\""));
        }

        ValidateVersions(spec, causes);
        if (causes.Count > 0)
        {
            throw ApiException.Invalid(CrdType, name, [.. causes]);
        }
    }

    private static void ValidateVersions(JsonObject spec, List<(string, string, string)> causes)
    {
        var versions = (spec.Arr("versions") ?? []).OfType<JsonObject>().ToList();
        if (versions.Count == 0)
        {
            causes.Add(("spec.versions", "FieldValueInvalid", "Invalid value: \"null\": must have exactly one version marked as storage version"));
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < versions.Count; i++)
        {
            var v = versions[i];
            var name = v.Str("name") ?? "";
            if (name.Length == 0)
            {
                causes.Add(Required($"spec.versions[{i}].name"));
            }
            else if (!seen.Add(name))
            {
                causes.Add(($"spec.versions[{i}].name", "FieldValueDuplicate", $"Duplicate value: \"{name}\""));
            }

            if (v.Obj("schema", "openAPIV3Schema") is null)
            {
                causes.Add(($"spec.versions[{i}].schema.openAPIV3Schema", "FieldValueRequired", "Required value: schemas are required"));
            }
        }

        var storage = versions.Count(v => v.Bool("storage") == true);
        if (storage != 1)
        {
            causes.Add(("spec.versions", "FieldValueInvalid", $"Invalid value: {VersionsValue(versions)}: must have exactly one version marked as storage version"));
        }

        if (!versions.Any(v => v.Bool("served") == true))
        {
            causes.Add(("spec.versions", "FieldValueInvalid", $"Invalid value: {VersionsValue(versions)}: must serve at least one version"));
        }
    }

    private static string VersionsValue(List<JsonObject> versions) =>
        "[" + string.Join(" ", versions.Select(v => $"{{{v.Str("name")} {v.Bool("served") == true} {v.Bool("storage") == true}}}")) + "]";

    private static (string, string, string) Required(string field) => (field, "FieldValueRequired", "Required value");

    private static (string, string, string) Invalid(string field, string value, string detail) =>
        (field, "FieldValueInvalid", $"Invalid value: \"{value}\": {detail}");
}
