using Porthole.KubeSim.Query;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Server;

/// <summary>The labelSelector and fieldSelector of a list or watch request, applied to stored objects.</summary>
internal sealed class ListFilter
{
    private readonly LabelSelector? _labels;
    private readonly FieldSelector? _fields;

    private ListFilter(LabelSelector? labels, FieldSelector? fields)
    {
        _labels = labels;
        _fields = fields;
    }

    public bool IsEverything => _labels is null && _fields is null;

    public static ListFilter From(ApiRequest r, KubeSimContext sim)
    {
        var labels = r.Query("labelSelector");
        var fields = r.Query("fieldSelector");
        return new ListFilter(
            string.IsNullOrWhiteSpace(labels) ? null : LabelSelector.Parse(labels),
            string.IsNullOrWhiteSpace(fields) ? null : FieldSelector.Parse(fields, r.Type));
    }

    public bool Matches(StoredObject obj) =>
        (_labels is null || _labels.Matches(obj.Labels)) && (_fields is null || _fields.Matches(obj.Parse()));
}
