using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Query;

/// <summary>
/// A label selector as list and watch requests and workload specs use it: the AND of its
/// requirements, parsed and printed like apimachinery's labels package.
/// </summary>
public sealed partial class LabelSelector
{
    private readonly bool _nothing;

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements, bool nothing = false)
    {
        Requirements = requirements;
        _nothing = nothing;
    }

    /// <summary>Matches every set of labels; prints as "".</summary>
    public static LabelSelector Everything { get; } = new([]);

    /// <summary>Matches nothing (a missing metav1.LabelSelector); prints as "".</summary>
    public static LabelSelector Nothing { get; } = new([], nothing: true);

    /// <summary>The requirements, sorted by key.</summary>
    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>True when the selector does not restrict anything.</summary>
    public bool IsEmpty => !_nothing && Requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        if (_nothing)
        {
            return false;
        }

        foreach (var r in Requirements)
        {
            if (!r.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Matches against the object's metadata.labels.</summary>
    public bool Matches(JsonObject obj) => Matches(obj.Labels());

    /// <summary>The canonical form: requirements sorted by key, joined by ",".</summary>
    public override string ToString() => string.Join(",", Requirements.Select(r => r.ToString()));

    /// <summary>
    /// metav1.LabelSelectorAsSelector: null selects nothing, an empty selector everything;
    /// matchLabels become "=" requirements and matchExpressions In/NotIn/Exists/DoesNotExist.
    /// </summary>
    /// <exception cref="ApiException">400 BadRequest with the validation message.</exception>
    public static LabelSelector FromJson(JsonObject? selector)
    {
        if (selector is null)
        {
            return Nothing;
        }

        var requirements = new List<LabelRequirement>();
        if (selector["matchLabels"] is JsonObject matchLabels)
        {
            foreach (var (key, value) in matchLabels)
            {
                var v = value is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : "";
                requirements.Add(NewRequirement(key, LabelOperator.Equals, [v]));
            }
        }

        if (selector["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions)
            {
                var key = expression.Str("key") ?? "";
                var opText = expression.Str("operator") ?? "";
                LabelOperator op = opText switch
                {
                    "In" => LabelOperator.In,
                    "NotIn" => LabelOperator.NotIn,
                    "Exists" => LabelOperator.Exists,
                    "DoesNotExist" => LabelOperator.DoesNotExist,
                    _ => throw ApiException.BadRequest($"{LabelValidation.GoQuote(opText)} is not a valid label selector operator"),
                };
                List<string>? values = expression.Arr("values") is { } arr
                    ? [.. arr.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "")]
                    : null;
                requirements.Add(NewRequirement(key, op, values));
            }
        }

        return requirements.Count == 0 ? Everything : new LabelSelector(SortByKey(requirements));
    }

    /// <summary>A selector requiring exactly the given labels (labels.SelectorFromSet).</summary>
    public static LabelSelector FromSet(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0
            ? Everything
            : new LabelSelector(SortByKey(labels.Select(p => new LabelRequirement(p.Key, LabelOperator.Equals, [p.Value]))));

    /// <summary>labels.FormatLabels: "k=v" pairs sorted by key, or "&lt;none&gt;".</summary>
    public static string FormatLabels(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0
            ? "<none>"
            : string.Join(",", labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static List<LabelRequirement> SortByKey(IEnumerable<LabelRequirement> requirements) =>
        [.. requirements.OrderBy(r => r.Key, StringComparer.Ordinal)];

    /// <summary>labels.NewRequirement with its validation; errors become 400 BadRequest.</summary>
    private static LabelRequirement NewRequirement(string key, LabelOperator op, List<string>? values)
    {
        var errors = RequirementErrors(key, op, values);
        if (errors.Count > 0)
        {
            throw ApiException.BadRequest(LabelValidation.Aggregate(errors));
        }

        return new LabelRequirement(key, op, values ?? []);
    }

    private static List<string> RequirementErrors(string key, LabelOperator op, List<string>? values)
    {
        var errs = new List<string>();
        var keyErrors = LabelValidation.KeyErrors(key);
        if (keyErrors.Count > 0)
        {
            errs.Add(LabelValidation.Invalid("key", key, string.Join("; ", keyErrors)));
        }

        var count = values?.Count ?? 0;
        switch (op)
        {
            case LabelOperator.In or LabelOperator.NotIn when count == 0:
                errs.Add(LabelValidation.InvalidList("values", values, "for 'in', 'notin' operators, values set can't be empty"));
                break;
            case LabelOperator.Equals or LabelOperator.DoubleEquals or LabelOperator.NotEquals when count != 1:
                errs.Add(LabelValidation.InvalidList("values", values, "exact-match compatibility requires one single value"));
                break;
            case LabelOperator.Exists or LabelOperator.DoesNotExist when count != 0:
                errs.Add(LabelValidation.InvalidList("values", values, "values set must be empty for exists and does not exist"));
                break;
            case LabelOperator.GreaterThan or LabelOperator.LessThan:
                if (count != 1)
                {
                    errs.Add(LabelValidation.InvalidList("values", values, "for 'Gt', 'Lt' operators, exactly one value is required"));
                }

                for (var i = 0; i < count; i++)
                {
                    if (!long.TryParse(values![i], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
                    {
                        errs.Add(LabelValidation.Invalid($"values[{i}]", values[i], "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }

                break;
        }

        for (var i = 0; i < count; i++)
        {
            var valueErrors = LabelValidation.ValueErrors(values![i]);
            if (valueErrors.Count > 0)
            {
                errs.Add(LabelValidation.Invalid($"values[{i}][{key}]", values[i], string.Join("; ", valueErrors)));
            }
        }

        return errs;
    }
}
