using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Query;

namespace Porthole.KubeSim.Tests.Query;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new()
    {
        ["app"] = "web",
        ["tier"] = "frontend",
        ["env"] = "prod",
        ["app.kubernetes.io/name"] = "shop",
        ["replicas"] = "5",
    };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app=api", false)]
    [InlineData("app!=api", true)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (web,api)", true)]
    [InlineData("app in (api)", false)]
    [InlineData("app notin (api, db)", true)]
    [InlineData("missing notin (a)", true)]
    [InlineData("env", true)]
    [InlineData("missing", false)]
    [InlineData("!missing", true)]
    [InlineData("!app", false)]
    [InlineData("app=web,tier=frontend", true)]
    [InlineData("app=web,tier=backend", false)]
    [InlineData("  app = web ,  env in ( prod , staging ) ", true)]
    [InlineData("app.kubernetes.io/name=shop", true)]
    [InlineData("replicas>3", true)]
    [InlineData("replicas<3", false)]
    [InlineData("app>3", false)]
    [InlineData("x in (in, notin)", false)]
    public void Matches_SelectorAgainstLabels_ReturnsExpected(string selector, bool expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));
    }

    [Theory]
    [InlineData("tier=frontend,app=web", "app=web,tier=frontend")]
    [InlineData("x in (c,a,b,a)", "x in (a,b,c)")]
    [InlineData("a==b", "a==b")]
    [InlineData("!b, a notin (z)", "a notin (z),!b")]
    [InlineData("a=", "a=")]
    [InlineData("a in ()", "a in ()")]
    [InlineData("a>5", "a>5")]
    public void ToString_Parsed_IsCanonical(string selector, string expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).ToString());
    }

    [Fact]
    public void Parse_EmptyValue_MatchesEmptyLabel()
    {
        var selector = LabelSelector.Parse("a=");
        Assert.True(selector.Matches(new Dictionary<string, string> { ["a"] = "" }));
        Assert.False(selector.Matches(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("a=b c", "found 'c', expected: ',' or 'end of string'")]
    [InlineData("a=b,", "found '', expected: identifier after ','")]
    [InlineData(",a", "found ',', expected: !, identifier, or 'end of string'")]
    [InlineData("a in b", "unable to parse requirement: found 'b' expected: '('")]
    [InlineData("a in (b", "unable to parse requirement: found '', expected: ',' or ')'")]
    [InlineData("a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("!a=b", "found '=', expected: ',' or 'end of string'")]
    [InlineData("a==(", "unable to parse requirement: found '(', expected: identifier")]
    [InlineData("a>b", "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer")]
    [InlineData("!", "unable to parse requirement: found '', expected: identifier")]
    public void Parse_Malformed_ThrowsBadRequest(string selector, string message)
    {
        var e = Assert.Throws<ApiException>(() => LabelSelector.Parse(selector));
        Assert.Equal(400, e.Code);
        Assert.Equal("BadRequest", e.Reason);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Parse_InvalidKey_UsesValidationWording()
    {
        var e = Assert.Throws<ApiException>(() => LabelSelector.Parse("-bad=x"));
        Assert.Equal(
            "unable to parse requirement: <nil>: Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            e.Message);
    }

    [Fact]
    public void Parse_InvalidPrefix_UsesSubdomainWording()
    {
        var e = Assert.Throws<ApiException>(() => LabelSelector.Parse("Example.com/x"));
        Assert.StartsWith("unable to parse requirement: <nil>: Invalid value: \"Example.com/x\": prefix part a lowercase RFC 1123 subdomain must consist of", e.Message);
    }

    [Fact]
    public void Parse_InvalidValue_UsesLabelValueWording()
    {
        var e = Assert.Throws<ApiException>(() => LabelSelector.Parse("app=a/b"));
        Assert.Equal(
            "unable to parse requirement: values[0][app]: Invalid value: \"a/b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            e.Message);
    }

    [Fact]
    public void Parse_TooLongValue_ReportsLength()
    {
        var e = Assert.Throws<ApiException>(() => LabelSelector.Parse("app=" + new string('a', 64)));
        Assert.Contains("must be no more than 63 characters", e.Message);
    }

    [Fact]
    public void FromJson_MatchLabelsAndExpressions_CombinesAsAnd()
    {
        var selector = LabelSelector.FromJson(JsonNode.Parse("""
            {"matchLabels":{"app":"web"},
             "matchExpressions":[
               {"key":"env","operator":"In","values":["prod","staging"]},
               {"key":"canary","operator":"DoesNotExist"},
               {"key":"tier","operator":"Exists"},
               {"key":"zone","operator":"NotIn","values":["b"]}]}
            """)!.AsObject());
        Assert.True(selector.Matches(Labels));
        Assert.False(selector.Matches(new Dictionary<string, string>(Labels) { ["canary"] = "1" }));
        Assert.Equal("app=web,!canary,env in (prod,staging),tier,zone notin (b)", selector.ToString());
    }

    [Fact]
    public void FromJson_NullAndEmpty_SelectNothingAndEverything()
    {
        Assert.False(LabelSelector.FromJson(null).Matches(Labels));
        Assert.True(LabelSelector.FromJson(new JsonObject()).Matches(Labels));
        Assert.True(LabelSelector.FromJson(new JsonObject()).IsEmpty);
    }

    [Fact]
    public void FromJson_BadOperator_ThrowsBadRequest()
    {
        var e = Assert.Throws<ApiException>(() => LabelSelector.FromJson(JsonNode.Parse("""
            {"matchExpressions":[{"key":"a","operator":"Equals","values":["b"]}]}
            """)!.AsObject()));
        Assert.Equal("\"Equals\" is not a valid label selector operator", e.Message);
    }

    [Fact]
    public void FromJson_InWithoutValues_ThrowsBadRequest()
    {
        var e = Assert.Throws<ApiException>(() => LabelSelector.FromJson(JsonNode.Parse("""
            {"matchExpressions":[{"key":"a","operator":"In","values":[]}]}
            """)!.AsObject()));
        Assert.Equal("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty", e.Message);
    }

    [Fact]
    public void FormatLabels_SortsByKey()
    {
        Assert.Equal("a=1,b=2", LabelSelector.FormatLabels(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }));
        Assert.Equal("<none>", LabelSelector.FormatLabels(new Dictionary<string, string>()));
    }
}
