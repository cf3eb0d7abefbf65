using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Query;

/// <content>The printer for PodDisruptionBudgets.</content>
public static partial class TableConverter
{
    private static readonly Printer PodDisruptionBudgetPrinter = new(
        [
            NameColumn,
            new("Min Available", "string", "The minimum number of pods that must be available, either as an absolute number or a percentage."),
            new("Max Unavailable", "string", "The maximum number of pods that may be unavailable, either as an absolute number or a percentage."),
            new("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
            AgeColumn,
        ],
        (pdb, now) => new PrintedRow(Cells(
            pdb.Name(),
            IntOrPercent(pdb.At("spec", "minAvailable")),
            IntOrPercent(pdb.At("spec", "maxUnavailable")),
            pdb.Long("status", "disruptionsAllowed") ?? 0,
            Age(pdb, now))));

    /// <summary>An intstr as IntOrString.String() prints it; N/A when unset.</summary>
    private static string IntOrPercent(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => Inv($"{v.Long() ?? 0}"),
        _ => "N/A",
    };
}
