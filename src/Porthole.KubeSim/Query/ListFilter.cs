using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Query;

/// <summary>
/// The label and field selectors of one list or watch request together (the API server's
/// SelectionPredicate), including how a selector-filtered watch rewrites events when an object
/// moves into or out of the selection.
/// </summary>
public sealed class ListFilter
{
    public ListFilter(LabelSelector labels, FieldSelector fields)
    {
        Labels = labels;
        Fields = fields;
    }

    /// <summary>Selects everything.</summary>
    public static ListFilter Everything { get; } = new(LabelSelector.Everything, FieldSelector.Everything);

    public LabelSelector Labels { get; }

    public FieldSelector Fields { get; }

    public bool IsEverything => Labels.IsEmpty && Fields.IsEmpty;

    /// <summary>Parses the labelSelector and fieldSelector query parameters for <paramref name="type"/>.</summary>
    /// <exception cref="ApiException">400 BadRequest with the API server's wording.</exception>
    public static ListFilter Parse(string? labelSelector, string? fieldSelector, ResourceType type, IReadOnlyCollection<string>? selectableFields = null) =>
        new(LabelSelector.Parse(labelSelector), FieldSelector.Parse(fieldSelector, type, selectableFields));

    public bool Matches(JsonObject obj) => Labels.Matches(obj.Labels()) && (Fields.IsEmpty || Fields.Matches(obj));

    /// <summary>Matches a stored object, parsing its JSON only when a field selector needs it.</summary>
    public bool Matches(StoredObject obj) => Labels.Matches(obj.Labels) && (Fields.IsEmpty || Fields.Matches(obj.Parse()));

    /// <summary>
    /// What a filtered watch sends for a committed change, as the watch cache decides it: MODIFIED
    /// when both versions match, ADDED when the object moved into the selection, DELETED (with the
    /// previous content at the event's resourceVersion) when it moved out, nothing otherwise.
    /// </summary>
    public (string Type, JsonObject Object)? Filter(WatchEvent change)
    {
        if (change.Type == WatchEvent.Deleted)
        {
            return Matches(change.Object) ? (WatchEvent.Deleted, change.Object.Parse()) : null;
        }

        var current = Matches(change.Object);
        var previous = change.Type == WatchEvent.Modified && change.Previous is { } prev && Matches(prev);
        return (current, previous) switch
        {
            (true, true) => (WatchEvent.Modified, change.Object.Parse()),
            (true, false) => (WatchEvent.Added, change.Object.Parse()),
            (false, true) => (WatchEvent.Deleted, AtVersion(change.Previous!, change.ResourceVersion)),
            _ => null,
        };
    }

    private static JsonObject AtVersion(StoredObject obj, long resourceVersion)
    {
        var parsed = obj.Parse();
        parsed.Metadata()["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
        return parsed;
    }
}
