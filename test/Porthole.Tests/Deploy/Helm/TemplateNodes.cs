namespace Porthole.Tests.Deploy.Helm;

/// <summary>Where a node came from, for error messages: "porthole/templates/deployment.yaml:12:5".</summary>
internal sealed record TemplatePosition(string Template, int Line, int Column)
{
    public override string ToString() => $"{Template}:{Line}:{Column}";
}

/// <summary>The syntax tree of the Go template subset (text/template) the chart uses.</summary>
internal abstract record TemplateNode(TemplatePosition Position);

internal sealed record TextNode(TemplatePosition Position, string Text) : TemplateNode(Position);

/// <summary><c>{{ pipeline }}</c>: prints the pipeline's value unless it declares variables.</summary>
internal sealed record ActionNode(TemplatePosition Position, PipelineNode Pipeline) : TemplateNode(Position);

/// <summary><c>if</c>, <c>with</c> and <c>range</c> share one shape: a pipeline, a body and an else body.</summary>
internal sealed record BranchNode(TemplatePosition Position, string Keyword, PipelineNode Pipeline, IReadOnlyList<TemplateNode> Body, IReadOnlyList<TemplateNode> Else) : TemplateNode(Position);

/// <summary><c>{{ template "name" pipeline }}</c>.</summary>
internal sealed record TemplateCallNode(TemplatePosition Position, string Name, PipelineNode? Pipeline) : TemplateNode(Position);

/// <summary><c>$a, $b := command | command</c>; <see cref="Assign"/> for <c>=</c> (an existing variable).</summary>
internal sealed record PipelineNode(TemplatePosition Position, IReadOnlyList<string> Variables, bool Assign, IReadOnlyList<CommandNode> Commands);

/// <summary>A function call (first operand an identifier) or a single operand.</summary>
internal sealed record CommandNode(TemplatePosition Position, IReadOnlyList<OperandNode> Operands);

internal abstract record OperandNode(TemplatePosition Position);

/// <summary>A function name.</summary>
internal sealed record IdentifierNode(TemplatePosition Position, string Name) : OperandNode(Position);

/// <summary><c>.</c>, <c>.A.B</c> (on dot), <c>$</c>, <c>$x.A</c> (on a variable).</summary>
internal sealed record FieldNode(TemplatePosition Position, string? Variable, IReadOnlyList<string> Fields) : OperandNode(Position);

/// <summary>A string, number, boolean or nil.</summary>
internal sealed record LiteralNode(TemplatePosition Position, object? Value) : OperandNode(Position);

/// <summary><c>( pipeline )</c>, optionally followed by fields.</summary>
internal sealed record SubPipelineNode(TemplatePosition Position, PipelineNode Pipeline, IReadOnlyList<string> Fields) : OperandNode(Position);

/// <summary>A template the chart's templates render or include, as parsed.</summary>
internal sealed record ParsedTemplate(string Name, IReadOnlyList<TemplateNode> Body);

/// <summary>A template that cannot be parsed or rendered: the position and what went wrong.</summary>
internal sealed class TemplateException(string message) : Exception(message);
