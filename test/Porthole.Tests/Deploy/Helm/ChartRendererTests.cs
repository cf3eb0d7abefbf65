namespace Porthole.Tests.Deploy.Helm;

/// <summary>
/// The renderer against text/template's and Helm's documented behaviour, feature by feature,
/// so the chart can only use what is rendered as Helm would (and Helm's type errors fail here too).
/// </summary>
public sealed class ChartRendererTests
{
    private static string Render(string template, string values = "", string? helpers = null)
    {
        var templates = new Dictionary<string, ParsedTemplate>(StringComparer.Ordinal);
        if (helpers is not null)
        {
            TemplateParser.Parse("t/templates/_helpers.tpl", helpers, templates);
        }

        templates["t/templates/x.yaml"] = TemplateParser.Parse("t/templates/x.yaml", template, templates);
        var root = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Values"] = HelmYaml.ReadMap(values, "values"),
            ["Release"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Name"] = "rel", ["Namespace"] = "ns" },
            ["Chart"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Name"] = "t", ["AppVersion"] = "1.2.3" },
        };
        return new TemplateEvaluator(templates).Render("t/templates/x.yaml", root);
    }

    private static string Fails(string template, string values = "") =>
        Assert.Throws<TemplateException>(() => Render(template, values)).Message;

    [Theory]
    [InlineData("a\n  {{- \"b\" }}\nc", "ab\nc")]
    [InlineData("a\n{{ \"b\" -}}\n  c", "a\nbc")]
    [InlineData("a {{/* note */}} b", "a  b")]
    [InlineData("a\n{{- /* note */ -}}\nb", "ab")]
    [InlineData("{{ \"x}}y\" }}", "x}}y")]
    [InlineData("{{ `raw\\n` }}", "raw\\n")]
    [InlineData("{{-3}}", "-3")]
    public void Render_TrimMarkersCommentsAndStrings_AsTextTemplate(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("mode: a", "A")]
    [InlineData("mode: b", "B")]
    [InlineData("mode: c", "other")]
    public void Render_IfElseIfElse_TakesTheFirstTrueBranch(string values, string expected) =>
        Assert.Equal(expected, Render("{{ if eq .Values.mode \"a\" }}A{{ else if eq .Values.mode \"b\" }}B{{ else }}other{{ end }}", values));

    [Theory]
    [InlineData("v: 0", "no")]
    [InlineData("v: \"\"", "no")]
    [InlineData("v: []", "no")]
    [InlineData("v: {}", "no")]
    [InlineData("v: false", "no")]
    [InlineData("v: null", "no")]
    [InlineData("w: 1", "no")]
    [InlineData("v: 0.5", "yes")]
    [InlineData("v: \"0\"", "yes")]
    [InlineData("v: [0]", "yes")]
    [InlineData("v: on", "yes")]
    public void Render_Truth_EmptyAndZeroAreFalse(string values, string expected) =>
        Assert.Equal(expected, Render("{{ if .Values.v }}yes{{ else }}no{{ end }}", values));

    [Fact]
    public void Render_WithAndRange_SetDotAndScopedVariables()
    {
        var values = "m: {b: 2, a: 1}\nl: [x, z]\ne: []";
        Assert.Equal("a=1;b=2;", Render("{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}", values));
        Assert.Equal("0:x 1:z ", Render("{{ range $i, $v := .Values.l }}{{ $i }}:{{ . }} {{ end }}", values));
        Assert.Equal("none", Render("{{ range .Values.e }}item{{ else }}none{{ end }}", values));
        Assert.Equal("x|rel", Render("{{ with .Values.l }}{{ index0 }}{{ end }}".Replace("{{ index0 }}", "{{ $x := \"x\" }}{{ $x }}|{{ $.Release.Name }}", StringComparison.Ordinal), values));
        Assert.Contains("undefined variable: $x", Fails("{{ with .Values.l }}{{ $x := 1 }}{{ end }}{{ $x }}", values), StringComparison.Ordinal);
        Assert.Equal("2", Render("{{ $n := 1 }}{{ if true }}{{ $n = 2 }}{{ end }}{{ $n }}"));
    }

    [Fact]
    public void Render_DefineIncludeNindent_IndentsEveryLine()
    {
        var helpers = "{{- define \"labels\" -}}\na: {{ .Release.Name }}\nb: {{ .Chart.AppVersion | quote }}\n{{- end -}}";
        Assert.Equal("labels:\n    a: rel\n    b: \"1.2.3\"", Render("labels:\n  {{- include \"labels\" . | nindent 4 }}", helpers: helpers));
        Assert.Equal("a: rel", Render("{{ template \"labels\" . }}", helpers: helpers).Split('\n')[0]);
    }

    [Fact]
    public void Render_DefaultQuoteTruncTrimSuffixPrintf_AsSprig()
    {
        Assert.Equal("t", Render("{{ default .Chart.Name .Values.name }}"));
        Assert.Equal("given", Render("{{ default .Chart.Name .Values.name }}", "name: given"));
        Assert.Equal("\"a\\\"b\" \"true\"", Render("{{ quote .Values.s .Values.b .Values.none }}", "s: a\"b\nb: true"));
        Assert.Equal("abc", Render("{{ \"abc-\" | trunc 4 | trimSuffix \"-\" }}"));
        Assert.Equal("rel-t 3 \"q\"", Render("{{ printf \"%s-%s %d %q\" .Release.Name .Chart.Name (int .Values.n) \"q\" }}", "n: 3"));
        Assert.Equal("a_b", Render("{{ \"a+b\" | replace \"+\" \"_\" }}"));
        Assert.Equal("true false", Render("{{ has \"b\" (list \"a\" \"b\") }} {{ contains \"x\" \"abc\" }}"));
    }

    [Fact]
    public void Render_NumbersFromValues_AreFloat64AsInHelm()
    {
        Assert.Contains("incompatible types for comparison: float64 and int", Fails("{{ if gt .Values.n 1 }}{{ end }}", "n: 2"), StringComparison.Ordinal);
        Assert.Equal("yes", Render("{{ if gt (int .Values.n) 1 }}yes{{ end }}", "n: 2"));
        Assert.Contains("printf %d of a float64", Fails("{{ printf \"%d\" .Values.n }}", "n: 2"), StringComparison.Ordinal);
        Assert.Equal("80 1e+06 0.5", Render("{{ .Values.a }} {{ .Values.b }} {{ .Values.c }}", "a: 80\nb: 1000000\nc: 0.5"));
    }

    [Fact]
    public void Render_MissingKeyAndNilField_NilPrintsNothingButAFieldOfNilFails()
    {
        Assert.Equal("[]", "[" + Render("{{ .Values.missing }}") + "]");
        Assert.Contains("x.yaml:1:4: nil pointer evaluating interface {}.deeper", Fails("{{ .Values.missing.deeper }}"), StringComparison.Ordinal);
        Assert.Equal("ok", Render("{{ if and .Values.missing .Values.missing.deeper }}no{{ else }}ok{{ end }}"));
        Assert.Equal("ok", Render("{{ if or true .Values.missing.deeper }}ok{{ end }}"));
    }

    [Fact]
    public void Render_RequiredAndFail_StopWithTheMessageAndPosition()
    {
        Assert.Contains("x.yaml:2:4: execution error: name is required", Fails("a\n{{ required \"name is required\" .Values.name }}"), StringComparison.Ordinal);
        Assert.Contains("execution error: name is required", Fails("{{ required \"name is required\" .Values.name }}", "name: \"\""), StringComparison.Ordinal);
        Assert.Equal("given", Render("{{ required \"x\" .Values.name }}", "name: given"));
        Assert.Contains("execution error: no way", Fails("{{ fail \"no way\" }}"), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Unsupported_FailsClearly()
    {
        Assert.Contains("function \"lookup\" not defined", Fails("{{ lookup \"v1\" \"Secret\" \"ns\" \"n\" }}"), StringComparison.Ordinal);
        Assert.Contains("{{block}} is not supported", Fails("{{ block \"x\" . }}{{ end }}"), StringComparison.Ordinal);
        Assert.Contains("if has no {{end}}", Fails("{{ if true }}a"), StringComparison.Ordinal);
        Assert.Contains("unclosed action", Fails("{{ .Values"), StringComparison.Ordinal);
    }

    [Fact]
    public void ToYaml_Values_GoYamlBlockStyleSortedAndQuotedWhereAmbiguous()
    {
        var values = """
            v:
              z: [ReadWriteOnce]
              a: {runAsUser: 1654, seccompProfile: {type: RuntimeDefault}}
              s: ["true", "3600", "", "- x", "a: b", "plain/path", "0.0.0.0/0", "100m", "#x", "it's"]
              l: [{name: A, value: "1"}]
              e: {}
              f: 0.25
            """;
        var expected = """
            a:
              runAsUser: 1654
              seccompProfile:
                type: RuntimeDefault
            e: {}
            f: 0.25
            l:
            - name: A
              value: "1"
            s:
            - "true"
            - "3600"
            - ""
            - '- x'
            - 'a: b'
            - plain/path
            - 0.0.0.0/0
            - 100m
            - '#x'
            - it's
            z:
            - ReadWriteOnce
            """;
        Assert.Equal(expected, Render("{{ toYaml .Values.v }}", values));
    }

    [Fact]
    public void Merge_Overrides_MapsMergeListsReplaceNullDeletes()
    {
        var merged = ChartRenderer.Merge(
            HelmYaml.ReadMap("a: {x: 1, w: 2}\nl: [1, 2]\nd: 1", "defaults"),
            HelmYaml.ReadMap("a: {w: 3}\nl: [9]\nd: null", "override"));
        Assert.Equal("a:\n  w: 3\n  x: 1\nl:\n- 9", HelmYaml.ToYaml(merged));
    }
}
