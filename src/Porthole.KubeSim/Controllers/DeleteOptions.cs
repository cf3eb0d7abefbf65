using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Controllers;

/// <summary>metav1.DeleteOptions from the body and query of a DELETE.</summary>
public sealed record DeleteOptions(string? Propagation, long? GracePeriodSeconds, string? PreconditionUid, string? PreconditionResourceVersion, bool DryRun)
{
    public const string Background = "Background";
    public const string Foreground = "Foreground";
    public const string Orphan = "Orphan";

    public static readonly DeleteOptions Default = new(null, null, null, null, false);

    public static DeleteOptions From(JsonObject? body, Func<string, string?> query)
    {
        var propagation = body?.Str("propagationPolicy") ?? query("propagationPolicy");
        var orphan = body?.Bool("orphanDependents") ?? (query("orphanDependents") is { } o ? o == "true" : null);
        if (orphan is not null && propagation is not null)
        {
            throw ApiException.Invalid(new ResourceType("", "v1", "deleteoptions", "DeleteOptions", false, [], [], [], []), "", ("propagationPolicy", "FieldValueInvalid", "Invalid value: \"" + propagation + "\": orphanDependents and deletionPropagation cannot be both set"));
        }

        if (orphan == true)
        {
            propagation = Orphan;
        }

        if (propagation is not null and not Background and not Foreground and not Orphan)
        {
            throw ApiException.BadRequest($"propagationPolicy: Unsupported value: \"{propagation}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }

        var grace = body?.Long("gracePeriodSeconds")
            ?? (long.TryParse(query("gracePeriodSeconds"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var g) ? g : null);
        var dryRun = body?.Arr("dryRun")?.Any(v => v?.GetValue<string>() == "All") == true || query("dryRun") == "All";
        return new DeleteOptions(propagation, grace, body?.Str("preconditions", "uid"), body?.Str("preconditions", "resourceVersion"), dryRun);
    }
}
