using System.Text.Json;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Serialization;

namespace Porthole.KubeSim.Tests.Serialization;

public sealed class YamlTests
{
    private const string Typed = """
        replicas: 3
        quotedBool: "true"
        single: 'yes'
        zip: "0123"
        octal: 0123
        hex: 0x1F
        flag: yes
        off: off
        tilde: ~
        empty:
        float: 1.5
        exp: 1e3
        version: 1.20
        big: 12345678901234567890123
        uint: 18446744073709551615
        neg: -42
        under: 1_000
        plus: +5
        eight: 08
        half: .5
        date: 2024-01-02
        str: hello world
        literal: |
          a
          b
        folded: >
          a
          b
        """;

    public static TheoryData<string, string> TypedCases => new()
    {
        { "replicas", "3" },
        { "quotedBool", "\"true\"" },
        { "single", "\"yes\"" },
        { "zip", "\"0123\"" },
        { "octal", "83" },
        { "hex", "31" },
        { "flag", "true" },
        { "false", "false" },
        { "tilde", "null" },
        { "empty", "null" },
        { "float", "1.5" },
        { "exp", "1000" },
        { "version", "1.2" },
        { "big", "12345678901234567890123" },
        { "uint", "18446744073709551615" },
        { "neg", "-42" },
        { "under", "1000" },
        { "plus", "5" },
        { "eight", "8" },
        { "half", "0.5" },
        { "date", "\"2024-01-02\"" },
        { "str", "\"hello world\"" },
        { "literal", "\"a\\nb\\n\"" },
        { "folded", "\"a b\"" },
    };

    [Theory]
    [MemberData(nameof(TypedCases))]
    public void ToJson_Scalars_TypedAsKubernetesYaml(string key, string json)
    {
        var doc = Yaml.ToJson(Typed)!.AsObject();
        Assert.True(doc.ContainsKey(key), key);
        Assert.Equal(json, doc[key]?.ToJsonString() ?? "null");
    }

    [Fact]
    public void ToJson_Deployment_KeepsIntReplicasAndStringEnvValues()
    {
        var doc = Yaml.ToJson("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 3
              template:
                spec:
                  containers:
                  - name: app
                    image: nginx:1.27
                    env:
                    - name: DEBUG
                      value: "true"
                    - name: CODE
                      value: "0123"
                    ports:
                    - containerPort: 80
            """)!;
        Assert.Equal(JsonValueKind.Number, doc["spec"]!["replicas"]!.GetValueKind());
        var container = doc["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("nginx:1.27", (string)container["image"]!);
        Assert.Equal("true", (string)container["env"]![0]!["value"]!);
        Assert.Equal("0123", (string)container["env"]![1]!["value"]!);
        Assert.Equal(80, (int)container["ports"]![0]!["containerPort"]!);
    }

    [Fact]
    public void ToJson_AnchorsAliasesAndMergeKeys_Resolved()
    {
        var doc = Yaml.ToJson("""
            base: &base
              image: nginx
              pullPolicy: Always
            a:
              <<: *base
              image: redis
            list:
            - *base
            """)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"image":"redis","pullPolicy":"Always"}"""), doc["a"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"image":"nginx","pullPolicy":"Always"}"""), doc["list"]![0]));
    }

    [Fact]
    public void ToJson_BoolAndIntKeys_BecomeStrings()
    {
        var doc = Yaml.ToJson("on: 1\n200: ok\n")!.AsObject();
        Assert.Equal(1, (int)doc["true"]!);
        Assert.Equal("ok", (string)doc["200"]!);
    }

    [Fact]
    public void ToJsonAll_MultiDocument_SkipsEmptyDocuments()
    {
        const string yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a}
            ---
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: b}
            """;
        var docs = Yaml.ToJsonAll(yaml);
        Assert.Equal(["ConfigMap", "Service"], docs.Select(d => (string)d!["kind"]!));
        Assert.Equal("a", (string)Yaml.ToJson(yaml)!["metadata"]!["name"]!);
        Assert.Null(Yaml.ToJson(""));
    }

    [Theory]
    [InlineData("a: [1, 2")]
    [InlineData("a: b\n c: d\n")]
    [InlineData("a: *nope\n")]
    public void ToJson_InvalidYaml_Throws400(string yaml)
    {
        var e = Assert.Throws<ApiException>(() => Yaml.ToJson(yaml));
        Assert.Equal(400, e.Code);
        Assert.Equal("BadRequest", e.Reason);
        Assert.StartsWith("error converting YAML to JSON: yaml: line ", e.Message);
    }

    [Fact]
    public void FromJson_ConfigMap_QuotesOnlyWhereNeeded()
    {
        var cm = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","labels":{"app":"web"}},
             "data":{"enabled":"true","count":"123","empty":"","colon":"a: b","dash":"- x","hash":"#c","zip":"0123",
                     "plain":"hello world","multi":"line1\nline2\n","yes":"yes","tab":"a\tb","quote":"it's","url":"http://x:80/a"}}
            """);
        const string expected = """
            apiVersion: v1
            data:
              colon: 'a: b'
              count: "123"
              dash: '- x'
              empty: ""
              enabled: "true"
              hash: '#c'
              multi: |
                line1
                line2
              plain: hello world
              quote: it's
              tab: "a\tb"
              url: http://x:80/a
              "yes": "yes"
              zip: "0123"
            kind: ConfigMap
            metadata:
              labels:
                app: web
              name: cm

            """;
        Assert.Equal(expected, Yaml.FromJson(cm));
        Assert.True(JsonNode.DeepEquals(cm, Yaml.ToJson(Yaml.FromJson(cm))));
    }

    [Fact]
    public void FromJson_Deployment_PrintsListsLikeKubectl()
    {
        var deploy = JsonNode.Parse("""
            {"kind":"Deployment","spec":{"replicas":3,"paused":false,"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":[
              {"name":"app","image":"nginx","env":[{"name":"A","value":"1"}],"ports":[{"containerPort":80}],"args":["a","b"],"resources":{}}]}}}}
            """);
        const string expected = """
            kind: Deployment
            spec:
              paused: false
              replicas: 3
              template:
                metadata:
                  creationTimestamp: null
                spec:
                  containers:
                  - args:
                    - a
                    - b
                    env:
                    - name: A
                      value: "1"
                    image: nginx
                    name: app
                    ports:
                    - containerPort: 80
                    resources: {}

            """;
        Assert.Equal(expected, Yaml.FromJson(deploy!));
        Assert.True(JsonNode.DeepEquals(deploy, Yaml.ToJson(Yaml.FromJson(deploy!))));
    }

    [Theory]
    [InlineData("0.5", "0.5")]
    [InlineData("1234567.5", "1.2345675e+06")]
    [InlineData("0.00001", "1e-05")]
    [InlineData("12345678901234567890123", "12345678901234567890123")]
    [InlineData("-7", "-7")]
    public void FromJson_Numbers_FormattedAsGo(string json, string yaml)
    {
        Assert.Equal(yaml + "\n", Yaml.FromJson(JsonNode.Parse(json)));
    }

    [Theory]
    [InlineData("no trailing newline\nsecond")]
    [InlineData("two\n\n")]
    [InlineData("  indented\nfirst line\n")]
    [InlineData("trailing space \nline")]
    [InlineData("1:20")]
    [InlineData("key: value # not a comment")]
    [InlineData("[not a list]")]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData("on")]
    [InlineData(" padded ")]
    [InlineData("ends with colon:")]
    [InlineData("*star")]
    [InlineData("--- dashes")]
    [InlineData("quote \"inside\" and \\ backslash")]
    [InlineData("café ünïcode")]
    [InlineData("bell\u0007")]
    public void FromJson_TrickyStrings_RoundTripAsStrings(string value)
    {
        var node = new JsonObject { ["v"] = value, ["list"] = new JsonArray(value) };
        var back = Yaml.ToJson(Yaml.FromJson(node))!;
        Assert.Equal(value, (string)back["v"]!);
        Assert.Equal(value, (string)back["list"]![0]!);
    }
}
