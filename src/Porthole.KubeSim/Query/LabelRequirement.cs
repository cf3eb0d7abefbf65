using System.Globalization;

namespace Porthole.KubeSim.Query;

/// <summary>The operators of a label requirement, as labels/selection defines them.</summary>
public enum LabelOperator
{
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

/// <summary>One term of a label selector: a key, an operator and its values.</summary>
public sealed class LabelRequirement
{
    internal LabelRequirement(string key, LabelOperator op, IReadOnlyList<string> values)
    {
        Key = key;
        Operator = op;
        Values = values;
    }

    public string Key { get; }

    public LabelOperator Operator { get; }

    /// <summary>The values in the order given (sorted and unique when parsed from a string).</summary>
    public IReadOnlyList<string> Values { get; }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var exists = labels.TryGetValue(Key, out var value);
        switch (Operator)
        {
            case LabelOperator.In or LabelOperator.Equals or LabelOperator.DoubleEquals:
                return exists && Values.Contains(value!, StringComparer.Ordinal);
            case LabelOperator.NotIn or LabelOperator.NotEquals:
                return !exists || !Values.Contains(value!, StringComparer.Ordinal);
            case LabelOperator.Exists:
                return exists;
            case LabelOperator.DoesNotExist:
                return !exists;
            default:
                if (!exists || Values.Count != 1
                    || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual)
                    || !long.TryParse(Values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var wanted))
                {
                    return false;
                }

                return Operator == LabelOperator.GreaterThan ? actual > wanted : actual < wanted;
        }
    }

    /// <summary>The requirement as Requirement.String() prints it.</summary>
    public override string ToString()
    {
        var prefix = Operator == LabelOperator.DoesNotExist ? "!" : "";
        var op = Operator switch
        {
            LabelOperator.Equals => "=",
            LabelOperator.DoubleEquals => "==",
            LabelOperator.NotEquals => "!=",
            LabelOperator.In => " in ",
            LabelOperator.NotIn => " notin ",
            LabelOperator.GreaterThan => ">",
            LabelOperator.LessThan => "<",
            _ => null,
        };
        if (op is null)
        {
            return prefix + Key;
        }

        var values = Values.Count == 1 ? Values[0] : string.Join(",", Values.Order(StringComparer.Ordinal));
        return Operator is LabelOperator.In or LabelOperator.NotIn
            ? $"{Key}{op}({values})"
            : $"{Key}{op}{values}";
    }
}
