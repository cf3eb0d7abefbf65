namespace Porthole.KubeSim.Patching;

/// <summary>The PATCH content types of the Kubernetes API (k8s.io/apimachinery/pkg/types.PatchType).</summary>
public static class PatchTypes
{
    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string ApplyPatchYaml = "application/apply-patch+yaml";

    /// <summary>Accepted for built-in kinds, in the order the real server lists them in a 415.</summary>
    public static readonly IReadOnlyList<string> BuiltIn = [JsonPatch, MergePatch, StrategicMergePatch, ApplyPatchYaml];

    /// <summary>Accepted for custom resources: no strategic merge patch, as there are no Go struct tags.</summary>
    public static readonly IReadOnlyList<string> CustomResource = [JsonPatch, MergePatch, ApplyPatchYaml];

    /// <summary>The media type without parameters, lower-cased (e.g. "application/merge-patch+json; charset=utf-8").</summary>
    public static string Normalize(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return "";
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var media = semicolon >= 0 ? contentType[..semicolon] : contentType;
        return media.Trim().ToLowerInvariant();
    }
}
