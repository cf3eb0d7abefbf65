namespace Porthole.Tests.Deploy.Helm;

/// <summary>
/// Parses the lexed tokens into nodes: text, actions, <c>if / else if / else</c>, <c>with</c>,
/// <c>range</c> (with <c>$i, $v :=</c>), <c>define</c> (collected into <see cref="Defines"/>) and
/// <c>template</c>. Anything else text/template has (<c>block</c>, <c>break</c>, methods) is an error.
/// </summary>
internal sealed class TemplateParser
{
    private static readonly HashSet<string> Unsupported = ["block", "break", "continue"];
    private readonly List<Token> _tokens;
    private int _next;

    private TemplateParser(List<Token> tokens) => _tokens = tokens;

    public Dictionary<string, ParsedTemplate> Defines { get; } = new(StringComparer.Ordinal);

    /// <summary>Parses a template; its <c>define</c>s are added to <paramref name="defines"/> (later ones win, as in Helm).</summary>
    public static ParsedTemplate Parse(string name, string source, Dictionary<string, ParsedTemplate> defines)
    {
        var parser = new TemplateParser(TemplateLexer.Lex(name, source));
        var (body, end) = parser.ParseList();
        if (end is not null)
        {
            throw new TemplateException($"{end.Position}: unexpected {{{{{end.Text}}}}}");
        }

        foreach (var (key, value) in parser.Defines)
        {
            defines[key] = value;
        }

        return new ParsedTemplate(name, body);
    }

    /// <summary>Nodes up to <c>{{end}}</c> or <c>{{else}}</c> (returned, consumed up to the keyword) or the end of input (null).</summary>
    private (List<TemplateNode> Nodes, Token? Terminator) ParseList()
    {
        var nodes = new List<TemplateNode>();
        while (true)
        {
            var token = Take();
            switch (token.Kind)
            {
                case TokenKind.End:
                    return (nodes, null);
                case TokenKind.Text:
                    nodes.Add(new TextNode(token.Position, token.Text));
                    continue;
                case TokenKind.Open:
                    break;
                default:
                    throw Error(token, "unexpected token");
            }

            var first = Peek();
            if (first.Kind == TokenKind.Identifier && first.Text is "end" or "else")
            {
                Take();
                return (nodes, first);
            }

            if (first.Kind == TokenKind.Identifier && Unsupported.Contains(first.Text))
            {
                throw Error(first, $"{{{{{first.Text}}}}} is not supported by this renderer");
            }

            switch (first.Kind == TokenKind.Identifier ? first.Text : "")
            {
                case "if" or "with" or "range":
                    Take();
                    nodes.Add(ParseBranch(first));
                    break;
                case "define":
                    Take();
                    var name = Expect(TokenKind.String, "define needs a quoted name");
                    Expect(TokenKind.Close, "define takes only a name");
                    var (body, end) = ParseList();
                    if (end?.Text != "end")
                    {
                        throw Error(first, $"define \"{name.Value}\" has no {{{{end}}}}");
                    }

                    Expect(TokenKind.Close, "end takes nothing");
                    Defines[(string)name.Value!] = new ParsedTemplate((string)name.Value!, body);
                    break;
                case "template":
                    Take();
                    var called = Expect(TokenKind.String, "template needs a quoted name");
                    var pipe = Peek().Kind == TokenKind.Close ? null : ParsePipeline(first.Position, allowDeclare: false);
                    Expect(TokenKind.Close, "unexpected token in template");
                    nodes.Add(new TemplateCallNode(first.Position, (string)called.Value!, pipe));
                    break;
                default:
                    var pipeline = ParsePipeline(first.Position, allowDeclare: true);
                    Expect(TokenKind.Close, "unexpected token in action");
                    nodes.Add(new ActionNode(first.Position, pipeline));
                    break;
            }
        }
    }

    /// <summary>After <c>if</c>/<c>with</c>/<c>range</c>: the pipeline, the body, and the else part (<c>else if</c> nests one if).</summary>
    private BranchNode ParseBranch(Token keyword)
    {
        var pipeline = ParsePipeline(keyword.Position, allowDeclare: true);
        Expect(TokenKind.Close, $"unexpected token in {keyword.Text}");
        var (body, end) = ParseList();
        List<TemplateNode> otherwise = [];
        switch (end?.Text)
        {
            case "end":
                Expect(TokenKind.Close, "end takes nothing");
                break;
            case "else" when keyword.Text == "if" && Peek() is { Kind: TokenKind.Identifier, Text: "if" } elseIf:
                Take();
                otherwise = [ParseBranch(elseIf)];
                break;
            case "else":
                Expect(TokenKind.Close, "else takes nothing here");
                var (elseBody, elseEnd) = ParseList();
                if (elseEnd?.Text != "end")
                {
                    throw Error(keyword, $"{keyword.Text} has no {{{{end}}}} after its {{{{else}}}}");
                }

                Expect(TokenKind.Close, "end takes nothing");
                otherwise = elseBody;
                break;
            default:
                throw Error(keyword, $"{keyword.Text} has no {{{{end}}}}");
        }

        return new BranchNode(keyword.Position, keyword.Text, pipeline, body, otherwise);
    }

    private PipelineNode ParsePipeline(TemplatePosition position, bool allowDeclare)
    {
        var variables = new List<string>();
        var assign = false;
        if (allowDeclare && Peek().Kind == TokenKind.Variable && IsDeclaration())
        {
            variables.Add(Take().Text);
            if (Peek().Kind == TokenKind.Comma)
            {
                Take();
                variables.Add(Expect(TokenKind.Variable, "expected a variable after ,").Text);
            }

            assign = Take().Kind == TokenKind.Assign;
        }

        var commands = new List<CommandNode>();
        while (true)
        {
            var operands = new List<OperandNode>();
            while (Peek().Kind is not (TokenKind.Pipe or TokenKind.Close or TokenKind.RightParen or TokenKind.End))
            {
                operands.Add(ParseOperand());
            }

            if (operands.Count == 0)
            {
                throw Error(Peek(), "missing command");
            }

            commands.Add(new CommandNode(operands[0].Position, operands));
            if (Peek().Kind != TokenKind.Pipe)
            {
                return new PipelineNode(position, variables, assign, commands);
            }

            Take();
        }
    }

    /// <summary>True for <c>$x :=</c>, <c>$x =</c> and <c>$i, $v :=</c> at the cursor.</summary>
    private bool IsDeclaration()
    {
        var kind = _tokens[_next + 1].Kind;
        return kind is TokenKind.Declare or TokenKind.Assign
            || (kind == TokenKind.Comma && _tokens[_next + 2].Kind == TokenKind.Variable && _tokens[_next + 3].Kind is TokenKind.Declare or TokenKind.Assign);
    }

    private OperandNode ParseOperand()
    {
        var token = Take();
        switch (token.Kind)
        {
            case TokenKind.Identifier:
                return token.Text switch
                {
                    "true" => new LiteralNode(token.Position, true),
                    "false" => new LiteralNode(token.Position, false),
                    "nil" => new LiteralNode(token.Position, null),
                    _ => new IdentifierNode(token.Position, token.Text),
                };
            case TokenKind.String or TokenKind.Number:
                return new LiteralNode(token.Position, token.Value);
            case TokenKind.Dot:
                return new FieldNode(token.Position, null, []);
            case TokenKind.Field:
                return new FieldNode(token.Position, null, [token.Text, .. Chain()]);
            case TokenKind.Variable:
                return new FieldNode(token.Position, token.Text, Chain());
            case TokenKind.LeftParen:
                var inner = ParsePipeline(token.Position, allowDeclare: false);
                Expect(TokenKind.RightParen, "expected )");
                return new SubPipelineNode(token.Position, inner, Chain());
            default:
                throw Error(token, "unexpected token in operand");
        }
    }

    /// <summary>Fields that follow without white space: <c>$x.a.b</c>, <c>(f).a</c>.</summary>
    private List<string> Chain()
    {
        var fields = new List<string>();
        while (Peek() is { Kind: TokenKind.Field, SpaceBefore: false })
        {
            fields.Add(Take().Text);
        }

        return fields;
    }

    private Token Peek() => _tokens[_next];

    private Token Take() => _tokens[_next++];

    private Token Expect(TokenKind kind, string message)
    {
        var token = Take();
        return token.Kind == kind ? token : throw Error(token, message);
    }

    private static TemplateException Error(Token token, string message) =>
        new($"{token.Position}: {message}{(token.Text.Length > 0 ? $" (near \"{token.Text}\")" : "")}");
}
