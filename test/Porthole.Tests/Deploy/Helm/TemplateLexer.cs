using System.Globalization;
using System.Text;

namespace Porthole.Tests.Deploy.Helm;

internal enum TokenKind
{
    Text, Open, Close, Identifier, Field, Dot, Variable, String, Number, Pipe, LeftParen, RightParen, Declare, Assign, Comma, End,
}

/// <summary>One token; <see cref="SpaceBefore"/> tells <c>$x.a</c> (a chain) from <c>$x .a</c> (two operands).</summary>
internal sealed record Token(TokenKind Kind, string Text, object? Value, TemplatePosition Position, bool SpaceBefore);

/// <summary>
/// Splits a template into text and action tokens as text/template does: <c>{{- </c> trims the
/// white space before the action, <c> -}}</c> the white space after it, <c>{{/* */}}</c> is a
/// comment, and inside actions strings may hold <c>}}</c>.
/// </summary>
internal sealed class TemplateLexer(string name, string source)
{
    private readonly List<Token> _tokens = [];
    private int _pos;

    public static List<Token> Lex(string name, string source) => new TemplateLexer(name, source).Run();

    private List<Token> Run()
    {
        var trimNext = false;
        while (_pos < source.Length)
        {
            var open = source.IndexOf("{{", _pos, StringComparison.Ordinal);
            var text = source[_pos..(open < 0 ? source.Length : open)];
            var trimBefore = open >= 0 && open + 3 < source.Length && source[open + 2] == '-' && IsSpace(source[open + 3]);
            if (trimNext)
            {
                text = text.TrimStart(' ', '\t', '\r', '\n');
            }

            if (trimBefore)
            {
                text = text.TrimEnd(' ', '\t', '\r', '\n');
            }

            if (text.Length > 0)
            {
                _tokens.Add(new Token(TokenKind.Text, text, null, At(_pos), false));
            }

            if (open < 0)
            {
                break;
            }

            _pos = open + (trimBefore ? 3 : 2);
            trimNext = LexAction(open);
        }

        _tokens.Add(new Token(TokenKind.End, "", null, At(source.Length), false));
        return _tokens;
    }

    /// <summary>Lexes one action from after its left delimiter; true when it ended with <c>-}}</c>.</summary>
    private bool LexAction(int start)
    {
        SkipSpace();
        if (source.AsSpan(_pos).StartsWith("/*"))
        {
            var close = source.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw Error(start, "unclosed comment");
            }

            _pos = close + 2;
            SkipSpace();
            return CloseAction(start, comment: true);
        }

        _tokens.Add(new Token(TokenKind.Open, "{{", null, At(start), false));
        while (true)
        {
            var space = SkipSpace();
            if (_pos >= source.Length)
            {
                throw Error(start, "unclosed action");
            }

            if (source.AsSpan(_pos).StartsWith("}}") || (source[_pos] == '-' && source.AsSpan(_pos + 1).StartsWith("}}") && space))
            {
                return CloseAction(start, comment: false);
            }

            LexToken(space);
        }
    }

    private bool CloseAction(int start, bool comment)
    {
        var trim = false;
        if (_pos < source.Length && source[_pos] == '-')
        {
            trim = true;
            _pos++;
        }

        if (!source.AsSpan(_pos).StartsWith("}}"))
        {
            throw Error(start, comment ? "comment must end with */}}" : "unclosed action");
        }

        if (!comment)
        {
            _tokens.Add(new Token(TokenKind.Close, "}}", null, At(_pos), false));
        }

        _pos += 2;
        return trim;
    }

    private void LexToken(bool space)
    {
        var at = _pos;
        var c = source[_pos];
        switch (c)
        {
            case '|':
                Add(TokenKind.Pipe, 1);
                return;
            case '(':
                Add(TokenKind.LeftParen, 1);
                return;
            case ')':
                Add(TokenKind.RightParen, 1);
                return;
            case ',':
                Add(TokenKind.Comma, 1);
                return;
            case '=':
                Add(TokenKind.Assign, 1);
                return;
            case ':' when Peek(1) == '=':
                Add(TokenKind.Declare, 2);
                return;
            case '"':
                _tokens.Add(new Token(TokenKind.String, "", QuotedString(), At(at), space));
                return;
            case '`':
                var end = source.IndexOf('`', _pos + 1);
                if (end < 0)
                {
                    throw Error(at, "unclosed raw string");
                }

                _tokens.Add(new Token(TokenKind.String, "", source[(_pos + 1)..end], At(at), space));
                _pos = end + 1;
                return;
            case '.' when !IsWordStart(Peek(1)):
                Add(TokenKind.Dot, 1);
                return;
            case '.':
                _pos++;
                _tokens.Add(new Token(TokenKind.Field, Word(), null, At(at), space));
                return;
            case '$':
                _pos++;
                _tokens.Add(new Token(TokenKind.Variable, "$" + Word(), null, At(at), space));
                return;
        }

        if (char.IsAsciiDigit(c) || ((c == '-' || c == '+') && char.IsAsciiDigit(Peek(1))))
        {
            var begin = _pos++;
            while (_pos < source.Length && (char.IsAsciiLetterOrDigit(source[_pos]) || source[_pos] is '.' or '_' || (source[_pos] is '+' or '-' && source[_pos - 1] is 'e' or 'E')))
            {
                _pos++;
            }

            var text = source[begin.._pos].Replace("_", "", StringComparison.Ordinal);
            object value = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? (object)l
                : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (object)d
                : throw Error(at, $"bad number syntax: {text}");
            _tokens.Add(new Token(TokenKind.Number, text, value, At(at), space));
            return;
        }

        if (IsWordStart(c))
        {
            _tokens.Add(new Token(TokenKind.Identifier, Word(), null, At(at), space));
            return;
        }

        throw Error(at, $"unexpected character '{c}' in action");
    }

    private string QuotedString()
    {
        var start = _pos++;
        var text = new StringBuilder();
        while (true)
        {
            if (_pos >= source.Length || source[_pos] == '\n')
            {
                throw Error(start, "unterminated quoted string");
            }

            var c = source[_pos++];
            if (c == '"')
            {
                return text.ToString();
            }

            if (c != '\\')
            {
                text.Append(c);
                continue;
            }

            var e = source[_pos++];
            text.Append(e switch
            {
                'n' => "\n",
                't' => "\t",
                'r' => "\r",
                '\\' => "\\",
                '"' => "\"",
                'u' => ((char)int.Parse(source.AsSpan(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString(),
                _ => throw Error(_pos - 2, $"unknown escape \\{e}"),
            });
            if (e == 'u')
            {
                _pos += 4;
            }
        }
    }

    private string Word()
    {
        var start = _pos;
        while (_pos < source.Length && (char.IsAsciiLetterOrDigit(source[_pos]) || source[_pos] == '_'))
        {
            _pos++;
        }

        return source[start.._pos];
    }

    private void Add(TokenKind kind, int length)
    {
        _tokens.Add(new Token(kind, source.Substring(_pos, length), null, At(_pos), false));
        _pos += length;
    }

    private bool SkipSpace()
    {
        var start = _pos;
        while (_pos < source.Length && IsSpace(source[_pos]))
        {
            _pos++;
        }

        return _pos > start;
    }

    private char Peek(int ahead) => _pos + ahead < source.Length ? source[_pos + ahead] : '\0';

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private TemplatePosition At(int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index && i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new TemplatePosition(name, line, index - lineStart + 1);
    }

    private TemplateException Error(int index, string message) => new($"{At(index)}: {message}");
}
