using System.Globalization;
using System.Text;

namespace Porthole.Tests.Deploy.Helm;

/// <summary>
/// The functions the chart may use: text/template's (<c>and or not eq ne lt le gt ge len print
/// printf</c>), sprig's (<c>default empty quote squote toYaml indent nindent trunc trimSuffix
/// replace contains has list int toString lower upper</c>) and Helm's (<c>include required fail</c>).
/// Arguments come lazily so <c>and</c>/<c>or</c> stop early, as in Go. Any other name is an error.
/// </summary>
internal static class TemplateFunctions
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge", "len", "print", "printf",
        "default", "empty", "quote", "squote", "toYaml", "indent", "nindent", "trunc", "trimSuffix", "replace",
        "contains", "has", "list", "int", "toString", "lower", "upper", "include", "required", "fail",
    };

    public static object? Call(TemplateEvaluator evaluator, string name, IReadOnlyList<Func<object?>> args)
    {
        switch (name)
        {
            case "and":
                object? last = null;
                foreach (var arg in Need(name, args, 1))
                {
                    if (!GoValues.Truth(last = arg()))
                    {
                        return last;
                    }
                }

                return last;
            case "or":
                object? lastOr = null;
                foreach (var arg in Need(name, args, 1))
                {
                    if (GoValues.Truth(lastOr = arg()))
                    {
                        return lastOr;
                    }
                }

                return lastOr;
        }

        if (!Names.Contains(name))
        {
            throw new TemplateException($"function \"{name}\" not defined (this renderer supports: {string.Join(", ", Names.Order(StringComparer.Ordinal))})");
        }

        var a = args.Select(f => f()).ToList();
        return name switch
        {
            "not" => !GoValues.Truth(Exactly(name, a, 1)[0]),
            "eq" => Need(name, a, 2).Skip(1).Any(b => GoValues.Equal(a[0], b)),
            "ne" => !GoValues.Equal(Exactly(name, a, 2)[0], a[1]),
            "lt" => GoValues.Compare(Exactly(name, a, 2)[0], a[1]) < 0,
            "le" => GoValues.Compare(Exactly(name, a, 2)[0], a[1]) <= 0,
            "gt" => GoValues.Compare(Exactly(name, a, 2)[0], a[1]) > 0,
            "ge" => GoValues.Compare(Exactly(name, a, 2)[0], a[1]) >= 0,
            "len" => (long)(Exactly(name, a, 1)[0] switch
            {
                string s => s.Length,
                List<object?> l => l.Count,
                Dictionary<string, object?> m => m.Count,
                var v => throw new TemplateException($"len of {GoValues.KindOf(v)}"),
            }),
            "print" => string.Concat(a.Select(GoValues.Print)),
            "printf" => Printf(Need(name, a, 1)[0] as string ?? throw new TemplateException("printf: the format must be a string"), a.Skip(1).ToList()),
            "default" => a.Count switch
            {
                1 => a[0],
                2 => GoValues.Empty(a[1]) ? a[0] : a[1],
                _ => throw new TemplateException($"default takes 1 or 2 arguments, got {a.Count}"),
            },
            "empty" => GoValues.Empty(Exactly(name, a, 1)[0]),
            "quote" => string.Join(' ', a.Where(v => v is not null).Select(v => GoValues.Quote(GoValues.Str(v)))),
            "squote" => string.Join(' ', a.Where(v => v is not null).Select(v => "'" + GoValues.Str(v) + "'")),
            "toYaml" => HelmYaml.ToYaml(Exactly(name, a, 1)[0]),
            "indent" => Indent((int)GoValues.ToInt(Exactly(name, a, 2)[0]), GoValues.Str(a[1])),
            "nindent" => "\n" + Indent((int)GoValues.ToInt(Exactly(name, a, 2)[0]), GoValues.Str(a[1])),
            "trunc" => Trunc((int)GoValues.ToInt(Exactly(name, a, 2)[0]), GoValues.Str(a[1])),
            "trimSuffix" => GoValues.Str(Exactly(name, a, 2)[1]) is var s && s.EndsWith(GoValues.Str(a[0]), StringComparison.Ordinal) && a[0] is string { Length: > 0 } suffix ? s[..^suffix.Length] : GoValues.Str(a[1]),
            "replace" => GoValues.Str(Exactly(name, a, 3)[2]).Replace(GoValues.Str(a[0]), GoValues.Str(a[1]), StringComparison.Ordinal),
            "contains" => GoValues.Str(Exactly(name, a, 2)[1]).Contains(GoValues.Str(a[0]), StringComparison.Ordinal),
            "has" => Exactly(name, a, 2)[1] switch
            {
                List<object?> l => l.Any(item => GoValues.DeepEqual(item, a[0])),
                null => false,
                var v => throw new TemplateException($"has: cannot find in {GoValues.KindOf(v)}"),
            },
            "list" => a,
            "int" => GoValues.ToInt(Exactly(name, a, 1)[0]),
            "toString" => GoValues.Str(Exactly(name, a, 1)[0]),
            "lower" => GoValues.Str(Exactly(name, a, 1)[0]).ToLowerInvariant(),
            "upper" => GoValues.Str(Exactly(name, a, 1)[0]).ToUpperInvariant(),
            "include" => evaluator.Render(Exactly(name, a, 2)[0] as string ?? throw new TemplateException("include: the name must be a string"), a[1]),
            "required" => Required(Exactly(name, a, 2)),
            "fail" => throw new TemplateException("execution error: " + GoValues.Str(Exactly(name, a, 1)[0])),
            _ => throw new TemplateException($"function \"{name}\" not defined"),
        };
    }

    private static object? Required(List<object?> a) =>
        a[1] is null || a[1] is string { Length: 0 } ? throw new TemplateException("execution error: " + GoValues.Str(a[0])) : a[1];

    /// <summary>sprig's indent: every line, empty ones too, gets the padding.</summary>
    private static string Indent(int spaces, string text)
    {
        var pad = new string(' ', Math.Max(0, spaces));
        return pad + text.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    private static string Trunc(int length, string text) => length switch
    {
        < 0 when text.Length + length > 0 => text[(text.Length + length)..],
        < 0 => text,
        _ when text.Length > length => text[..length],
        _ => text,
    };

    /// <summary>Go's fmt for the verbs charts use: %s %v %d %q %%; %d of a float64 is refused (Go prints %!d(float64=...)).</summary>
    private static string Printf(string format, List<object?> args)
    {
        var text = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                text.Append(format[i]);
                continue;
            }

            var verb = format[++i];
            if (verb == '%')
            {
                text.Append('%');
                continue;
            }

            if (next >= args.Count)
            {
                text.Append($"%!{verb}(MISSING)");
                continue;
            }

            var arg = args[next++];
            text.Append(verb switch
            {
                'v' when arg is null => "<nil>",
                's' when arg is null => "%!s(<nil>)",
                's' or 'v' => GoValues.Print(arg),
                'q' => GoValues.Quote(GoValues.Str(arg)),
                'd' when arg is long l => l.ToString(CultureInfo.InvariantCulture),
                'd' => throw new TemplateException($"printf %d of a {GoValues.KindOf(arg)} (Go prints %!d({GoValues.KindOf(arg)}=...)): convert with int"),
                _ => throw new TemplateException($"printf verb %{verb} is not supported"),
            });
        }

        if (next < args.Count)
        {
            text.Append("%!(EXTRA ").Append(string.Join(", ", args.Skip(next).Select(a => $"{GoValues.KindOf(a)}={GoValues.Print(a)}"))).Append(')');
        }

        return text.ToString();
    }

    private static IReadOnlyList<T> Need<T>(string name, IReadOnlyList<T> args, int min) =>
        args.Count >= min ? args : throw new TemplateException($"wrong number of args for {name}: want at least {min} got {args.Count}");

    private static List<object?> Exactly(string name, List<object?> args, int count) =>
        args.Count == count ? args : throw new TemplateException($"wrong number of args for {name}: want {count} got {args.Count}");
}
