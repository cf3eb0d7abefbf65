using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Porthole.KubeSim.Query;

/// <summary>
/// Label key and value checks with the wording of apimachinery's util/validation, and the
/// field.Error rendering ("path: Invalid value: "x": detail") the API server puts in messages.
/// </summary>
internal static partial class LabelValidation
{
    private const string QualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string QualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string LabelValueFmt = "(" + QualifiedNameFmt + ")?";
    private const string LabelValueErrMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string SubdomainFmt = @"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private const string SubdomainErrMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

    /// <summary>IsQualifiedName: the messages for an invalid label key, empty when valid.</summary>
    public static List<string> KeyErrors(string key)
    {
        var errs = new List<string>();
        var parts = key.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                name = parts[1];
                var prefix = parts[0];
                if (prefix.Length == 0)
                {
                    errs.Add("prefix part must be non-empty");
                }
                else
                {
                    errs.AddRange(SubdomainErrors(prefix).Select(m => "prefix part " + m));
                }

                break;
            default:
                return
                [
                    "a qualified name " + RegexError(QualifiedNameErrMsg, QualifiedNameFmt, "MyName", "my.name", "123-abc")
                        + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                ];
        }

        if (name.Length == 0)
        {
            errs.Add("name part must be non-empty");
        }
        else if (name.Length > 63)
        {
            errs.Add("name part must be no more than 63 characters");
        }

        if (!QualifiedName().IsMatch(name))
        {
            errs.Add("name part " + RegexError(QualifiedNameErrMsg, QualifiedNameFmt, "MyName", "my.name", "123-abc"));
        }

        return errs;
    }

    /// <summary>IsValidLabelValue: the messages for an invalid label value, empty when valid.</summary>
    public static List<string> ValueErrors(string value)
    {
        var errs = new List<string>();
        if (value.Length > 63)
        {
            errs.Add("must be no more than 63 characters");
        }

        if (!LabelValue().IsMatch(value))
        {
            errs.Add(RegexError(LabelValueErrMsg, LabelValueFmt, "MyValue", "my_value", "12345"));
        }

        return errs;
    }

    /// <summary>field.Invalid(path, value, detail).Error() for a string value.</summary>
    public static string Invalid(string path, string value, string detail) =>
        $"{path}: Invalid value: {GoQuote(value)}: {detail}";

    /// <summary>field.Invalid(path, values, detail).Error() for a []string value (printed with %#v).</summary>
    public static string InvalidList(string path, IReadOnlyList<string>? values, string detail)
    {
        var shown = values is null ? "[]string(nil)" : "[]string{" + string.Join(", ", values.Select(GoQuote)) + "}";
        return $"{path}: Invalid value: {shown}: {detail}";
    }

    /// <summary>An aggregate of errors: the one message, or "[a, b]" for several.</summary>
    public static string Aggregate(IReadOnlyList<string> messages) =>
        messages.Count == 1 ? messages[0] : "[" + string.Join(", ", messages.Distinct(StringComparer.Ordinal)) + "]";

    /// <summary>Go's %q for a string.</summary>
    public static string GoQuote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    private static IEnumerable<string> SubdomainErrors(string value)
    {
        if (value.Length > 253)
        {
            yield return "must be no more than 253 characters";
        }

        if (!Subdomain().IsMatch(value))
        {
            yield return RegexError(SubdomainErrMsg, SubdomainFmt, "example.com");
        }
    }

    private static string RegexError(string msg, string fmt, params string[] examples)
    {
        var sb = new StringBuilder(msg).Append(" (e.g. ");
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(" or ");
            }

            sb.Append('\'').Append(examples[i]).Append("', ");
        }

        return sb.Append("regex used for validation is '").Append(fmt).Append("')").ToString();
    }

    [GeneratedRegex("^" + QualifiedNameFmt + @"\z")]
    private static partial Regex QualifiedName();

    [GeneratedRegex("^" + LabelValueFmt + @"\z")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^" + SubdomainFmt + @"\z")]
    private static partial Regex Subdomain();
}
