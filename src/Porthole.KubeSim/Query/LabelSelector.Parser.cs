using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Query;

/// <content>The label-selector string grammar, lexed and parsed like labels.Parse.</content>
public sealed partial class LabelSelector
{
    private const string BinaryOperators = "in, notin, =, ==, !=, gt, lt";

    private enum Tok
    {
        Error,
        End,
        ClosedPar,
        Comma,
        Not,
        DoubleEquals,
        EqualsTok,
        GreaterThan,
        Identifier,
        InTok,
        LessThan,
        NotEquals,
        NotInTok,
        OpenPar,
    }

    /// <summary>
    /// Parses "a=b,c!=d,e in (f,g),!h,i" into a selector; the empty string selects everything.
    /// </summary>
    /// <exception cref="ApiException">400 BadRequest worded like the API server's parse error.</exception>
    public static LabelSelector Parse(string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return Everything;
        }

        var parser = new Parser(Lex(selector));
        return new LabelSelector(SortByKey(parser.Run()));
    }

    private static readonly Dictionary<string, Tok> Literals = new(StringComparer.Ordinal)
    {
        [")"] = Tok.ClosedPar,
        [","] = Tok.Comma,
        ["!"] = Tok.Not,
        ["=="] = Tok.DoubleEquals,
        ["="] = Tok.EqualsTok,
        [">"] = Tok.GreaterThan,
        ["in"] = Tok.InTok,
        ["<"] = Tok.LessThan,
        ["!="] = Tok.NotEquals,
        ["notin"] = Tok.NotInTok,
        ["("] = Tok.OpenPar,
    };

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsSpecial(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';

    private static List<(Tok Tok, string Text)> Lex(string s)
    {
        var items = new List<(Tok, string)>();
        var pos = 0;
        while (true)
        {
            while (pos < s.Length && IsWhitespace(s[pos]))
            {
                pos++;
            }

            if (pos >= s.Length)
            {
                items.Add((Tok.End, ""));
                return items;
            }

            var start = pos;
            if (IsSpecial(s[pos]))
            {
                var best = (Tok: Tok.Error, Length: 0);
                while (pos < s.Length && IsSpecial(s[pos]))
                {
                    var text = s[start..(pos + 1)];
                    if (Literals.TryGetValue(text, out var t))
                    {
                        best = (t, text.Length);
                    }
                    else if (best.Tok != Tok.Error)
                    {
                        break;
                    }

                    pos++;
                }

                if (best.Tok == Tok.Error)
                {
                    items.Add((Tok.Error, $"error expected: keyword found '{s[start..pos]}'"));
                }
                else
                {
                    pos = start + best.Length;
                    items.Add((best.Tok, s.Substring(start, best.Length)));
                }
            }
            else
            {
                while (pos < s.Length && !IsSpecial(s[pos]) && !IsWhitespace(s[pos]))
                {
                    pos++;
                }

                var word = s[start..pos];
                items.Add((Literals.TryGetValue(word, out var t) ? t : Tok.Identifier, word));
            }
        }
    }

    private static ApiException Fail(string message) => ApiException.BadRequest(message);

    /// <summary>The recursive-descent parser over the lexed items.</summary>
    private sealed class Parser(List<(Tok Tok, string Text)> items)
    {
        private int _position;

        public List<LabelRequirement> Run()
        {
            var requirements = new List<LabelRequirement>();
            while (true)
            {
                var (tok, lit) = Peek(values: true);
                switch (tok)
                {
                    case Tok.Identifier or Tok.Not:
                        requirements.Add(Requirement());
                        var (t, l) = Next(values: true);
                        switch (t)
                        {
                            case Tok.End:
                                return requirements;
                            case Tok.Comma:
                                var (t2, l2) = Peek(values: true);
                                if (t2 is not Tok.Identifier and not Tok.Not)
                                {
                                    throw Fail($"found '{l2}', expected: identifier after ','");
                                }

                                break;
                            default:
                                throw Fail($"found '{l}', expected: ',' or 'end of string'");
                        }

                        break;
                    case Tok.End:
                        return requirements;
                    default:
                        throw Fail($"found '{lit}', expected: !, identifier, or 'end of string'");
                }
            }
        }

        private (Tok, string) Peek(bool values)
        {
            var (tok, text) = items[_position];
            return (values && tok is Tok.InTok or Tok.NotInTok ? Tok.Identifier : tok, text);
        }

        private (Tok, string) Next(bool values)
        {
            var item = Peek(values);
            _position++;
            return item;
        }

        private LabelRequirement Requirement()
        {
            LabelOperator? op = null;
            var (tok, key) = Next(values: true);
            if (tok == Tok.Not)
            {
                op = LabelOperator.DoesNotExist;
                (tok, key) = Next(values: true);
            }

            if (tok != Tok.Identifier)
            {
                throw Requirement($"found '{key}', expected: identifier");
            }

            var keyErrors = LabelValidation.KeyErrors(key);
            if (keyErrors.Count > 0)
            {
                throw Requirement(LabelValidation.Invalid("<nil>", key, string.Join("; ", keyErrors)));
            }

            var (after, _) = Peek(values: true);
            if (op == LabelOperator.DoesNotExist || after is Tok.End or Tok.Comma)
            {
                // "!key=v" yields !key here; the caller then rejects the '=' that follows.
                return Build(key, op ?? LabelOperator.Exists, []);
            }

            var (opTok, opLit) = Next(values: false);
            LabelOperator binary = opTok switch
            {
                Tok.InTok => LabelOperator.In,
                Tok.EqualsTok => LabelOperator.Equals,
                Tok.DoubleEquals => LabelOperator.DoubleEquals,
                Tok.GreaterThan => LabelOperator.GreaterThan,
                Tok.LessThan => LabelOperator.LessThan,
                Tok.NotInTok => LabelOperator.NotIn,
                Tok.NotEquals => LabelOperator.NotEquals,
                _ => throw Requirement($"found '{opLit}', expected: {BinaryOperators}"),
            };
            var values = binary is LabelOperator.In or LabelOperator.NotIn ? SetValues() : ExactValue();
            return Build(key, binary, [.. values.Order(StringComparer.Ordinal)]);
        }

        private static ApiException Requirement(string why) => Fail($"unable to parse requirement: {why}");

        private static LabelRequirement Build(string key, LabelOperator op, List<string> values)
        {
            var errors = RequirementErrors(key, op, values);
            if (errors.Count > 0)
            {
                throw Requirement(LabelValidation.Aggregate(errors));
            }

            return new LabelRequirement(key, op, values);
        }

        private HashSet<string> SetValues()
        {
            var (tok, lit) = Next(values: true);
            if (tok != Tok.OpenPar)
            {
                throw Requirement($"found '{lit}' expected: '('");
            }

            (tok, lit) = Peek(values: true);
            switch (tok)
            {
                case Tok.Identifier or Tok.Comma:
                    var set = IdentifierList();
                    if (Next(values: true).Item1 != Tok.ClosedPar)
                    {
                        throw Requirement($"found '{lit}', expected: ')'");
                    }

                    return set;
                case Tok.ClosedPar:
                    _position++;
                    return new HashSet<string>(StringComparer.Ordinal) { "" };
                default:
                    throw Requirement($"found '{lit}', expected: ',', ')' or identifier");
            }
        }

        private HashSet<string> IdentifierList()
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                var (tok, lit) = Next(values: true);
                switch (tok)
                {
                    case Tok.Identifier:
                        set.Add(lit);
                        var (tok2, lit2) = Peek(values: true);
                        switch (tok2)
                        {
                            case Tok.Comma:
                                continue;
                            case Tok.ClosedPar:
                                return set;
                            default:
                                throw Requirement($"found '{lit2}', expected: ',' or ')'");
                        }

                    case Tok.Comma:
                        if (set.Count == 0)
                        {
                            set.Add("");
                        }

                        var (next, _) = Peek(values: true);
                        if (next == Tok.ClosedPar)
                        {
                            set.Add("");
                            return set;
                        }

                        if (next == Tok.Comma)
                        {
                            set.Add("");
                        }

                        break;
                    default:
                        throw Requirement($"found '{lit}', expected: ',', or identifier");
                }
            }
        }

        private HashSet<string> ExactValue()
        {
            var (tok, _) = Peek(values: true);
            if (tok is Tok.End or Tok.Comma)
            {
                return new HashSet<string>(StringComparer.Ordinal) { "" };
            }

            var (t, lit) = Next(values: true);
            if (t == Tok.Identifier)
            {
                return new HashSet<string>(StringComparer.Ordinal) { lit };
            }

            throw Requirement($"found '{lit}', expected: identifier");
        }
    }
}
