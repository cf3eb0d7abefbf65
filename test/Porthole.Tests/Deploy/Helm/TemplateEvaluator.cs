using System.Text;

namespace Porthole.Tests.Deploy.Helm;

/// <summary>
/// Executes parsed templates with text/template's rules: dot and <c>$</c>, variables scoped to
/// their block, fields of maps (a missing key is nil; a field of nil is an error, as in Helm),
/// pipelines that pass their value as the last argument, and the functions of
/// <see cref="TemplateFunctions"/>.
/// </summary>
internal sealed class TemplateEvaluator(IReadOnlyDictionary<string, ParsedTemplate> templates)
{
    private const int MaxDepth = 100;
    private readonly List<(string Name, object? Value)> _variables = [];
    private int _depth;

    public IReadOnlyDictionary<string, ParsedTemplate> Templates => templates;

    /// <summary>Renders <paramref name="name"/> with <paramref name="dot"/>; its <c>$</c> is dot.</summary>
    public string Render(string name, object? dot)
    {
        if (!templates.TryGetValue(name, out var template))
        {
            throw new TemplateException($"no template \"{name}\"");
        }

        if (++_depth > MaxDepth)
        {
            throw new TemplateException($"template \"{name}\": nesting too deep (a template that includes itself?)");
        }

        var saved = _variables.ToList();
        _variables.Clear();
        _variables.Add(("$", dot));
        try
        {
            var output = new StringBuilder();
            Execute(template.Body, dot, output);
            return output.ToString();
        }
        finally
        {
            _variables.Clear();
            _variables.AddRange(saved);
            _depth--;
        }
    }

    private void Execute(IReadOnlyList<TemplateNode> nodes, object? dot, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    break;
                case ActionNode action:
                    var value = Pipeline(action.Pipeline, dot);
                    if (action.Pipeline.Variables.Count == 0)
                    {
                        output.Append(GoValues.Print(value));
                    }

                    break;
                case TemplateCallNode call:
                    output.Append(Render(call.Name, call.Pipeline is null ? null : Pipeline(call.Pipeline, dot)));
                    break;
                case BranchNode branch:
                    Branch(branch, dot, output);
                    break;
            }
        }
    }

    private void Branch(BranchNode branch, object? dot, StringBuilder output)
    {
        var mark = _variables.Count;
        try
        {
            if (branch.Keyword == "range")
            {
                Range(branch, dot, output, mark);
                return;
            }

            var value = Pipeline(branch.Pipeline, dot);
            if (GoValues.Truth(value))
            {
                Execute(branch.Body, branch.Keyword == "with" ? value : dot, output);
            }
            else
            {
                Execute(branch.Else, dot, output);
            }
        }
        finally
        {
            _variables.RemoveRange(mark, _variables.Count - mark);
        }
    }

    private void Range(BranchNode branch, object? dot, StringBuilder output, int mark)
    {
        var pipeline = branch.Pipeline with { Variables = [] };
        var value = Pipeline(pipeline, dot);
        IEnumerable<(object? Key, object? Item)> items = value switch
        {
            null => [],
            List<object?> list => list.Select((item, i) => ((object?)(long)i, item)),
            Dictionary<string, object?> map => map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => ((object?)p.Key, p.Value)),
            long n => Enumerable.Range(0, (int)n).Select(i => ((object?)(long)i, (object?)(long)i)),
            _ => throw new TemplateException($"{branch.Position}: range can't iterate over {GoValues.KindOf(value)}"),
        };
        var any = false;
        foreach (var (key, item) in items)
        {
            any = true;
            _variables.RemoveRange(mark, _variables.Count - mark);
            switch (branch.Pipeline.Variables)
            {
                case [var only]:
                    _variables.Add((only, item));
                    break;
                case [var k, var v]:
                    _variables.Add((k, key));
                    _variables.Add((v, item));
                    break;
            }

            Execute(branch.Body, item, output);
        }

        if (!any)
        {
            Execute(branch.Else, dot, output);
        }
    }

    /// <summary>Evaluates a pipeline; declarations and assignments are made here.</summary>
    public object? Pipeline(PipelineNode pipeline, object? dot)
    {
        object? value = null;
        var first = true;
        foreach (var command in pipeline.Commands)
        {
            value = Command(command, dot, first ? null : new Piped(value));
            first = false;
        }

        foreach (var name in pipeline.Variables)
        {
            if (pipeline.Assign)
            {
                var index = _variables.FindLastIndex(v => v.Name == name);
                if (index < 0)
                {
                    throw new TemplateException($"{pipeline.Position}: undefined variable: {name}");
                }

                _variables[index] = (name, value);
            }
            else
            {
                _variables.Add((name, value));
            }
        }

        return value;
    }

    private object? Command(CommandNode command, object? dot, Piped? piped)
    {
        var head = command.Operands[0];
        if (head is IdentifierNode function)
        {
            var args = command.Operands.Skip(1).Select(o => (Func<object?>)(() => Operand(o, dot))).ToList();
            if (piped is not null)
            {
                var value = piped.Value;
                args.Add(() => value);
            }

            try
            {
                return TemplateFunctions.Call(this, function.Name, args);
            }
            catch (TemplateException e) when (!e.Message.StartsWith(command.Position.Template, StringComparison.Ordinal))
            {
                throw new TemplateException($"{command.Position}: {e.Message}");
            }
        }

        if (command.Operands.Count > 1 || piped is not null)
        {
            throw new TemplateException($"{command.Position}: can't give arguments to a non-function (methods are not supported)");
        }

        return Operand(head, dot);
    }

    private object? Operand(OperandNode operand, object? dot) => operand switch
    {
        LiteralNode literal => literal.Value,
        FieldNode { Variable: null } field => Fields(dot, field.Fields, field.Position),
        FieldNode field => Fields(Variable(field.Variable, field.Position), field.Fields, field.Position),
        SubPipelineNode sub => Fields(Pipeline(sub.Pipeline, dot), sub.Fields, sub.Position),
        IdentifierNode identifier => TemplateFunctions.Call(this, identifier.Name, []),
        _ => throw new TemplateException($"{operand.Position}: unknown operand"),
    };

    private object? Variable(string name, TemplatePosition position)
    {
        var index = _variables.FindLastIndex(v => v.Name == name);
        return index >= 0 ? _variables[index].Value : throw new TemplateException($"{position}: undefined variable: {name}");
    }

    private static object? Fields(object? value, IReadOnlyList<string> fields, TemplatePosition position)
    {
        foreach (var field in fields)
        {
            value = value switch
            {
                Dictionary<string, object?> map => map.GetValueOrDefault(field),
                null => throw new TemplateException($"{position}: nil pointer evaluating interface {{}}.{field}"),
                _ => throw new TemplateException($"{position}: can't evaluate field {field} in type {GoValues.KindOf(value)}"),
            };
        }

        return value;
    }

    private sealed record Piped(object? Value);
}
