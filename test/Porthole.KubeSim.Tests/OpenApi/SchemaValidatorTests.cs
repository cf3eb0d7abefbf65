using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.OpenApi;
using Porthole.KubeSim.Tests.Discovery;

namespace Porthole.KubeSim.Tests.OpenApi;

public sealed class SchemaValidatorTests
{
    private static readonly ResourceRegistry Registry = CreateRegistry();
    private static readonly SchemaValidator Validator = new(new OpenApiDocuments(Registry));

    private static ResourceRegistry CreateRegistry()
    {
        var registry = new ResourceRegistry();
        registry.SetCustom("stable.example.com", "crontabs", CrdResources.FromCrd(CrdFixtures.CronTab()));
        return registry;
    }

    private static JsonObject Deployment(string extraSpec = "", string extraContainer = "") => JsonNode.Parse($$"""
        {
          "apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": { "name": "web", "labels": { "app": "web" } },
          "spec": {
            "replicas": 2 {{extraSpec}},
            "selector": { "matchLabels": { "app": "web" } },
            "template": {
              "metadata": { "labels": { "app": "web" } },
              "spec": { "containers": [ { "name": "nginx", "image": "nginx", "ports": [ { "containerPort": 80 } ],
                "resources": { "limits": { "cpu": "1" } } {{extraContainer}} } ] }
            }
          }
        }
        """)!.AsObject();

    [Fact]
    public void UnknownFields_ValidDeployment_ReturnsNone()
    {
        Assert.Empty(Validator.UnknownFields(Registry.Find("apps", "v1", "deployments")!, Deployment()));
    }

    [Fact]
    public void Check_StrictWithUnknownFields_Throws400LikeDecoder()
    {
        var deployments = Registry.Find("apps", "v1", "deployments")!;
        var obj = Deployment(", \"foo\": 1, \"bar\": {}", ", \"imagePullPolice\": \"Always\"");

        var e = Assert.Throws<ApiException>(() => Validator.Check(deployments, obj, "Strict"));

        Assert.Equal(400, e.Code);
        Assert.Equal("BadRequest", e.Reason);
        Assert.Equal(
            "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.foo\", unknown field \"spec.bar\", unknown field \"spec.template.spec.containers[0].imagePullPolice\"",
            e.Message);
        Assert.Equal(
            "strict decoding error: unknown field \"spec.foo\", unknown field \"spec.bar\", unknown field \"spec.template.spec.containers[0].imagePullPolice\"",
            SchemaValidator.StrictError(deployments, Validator.UnknownFields(deployments, obj), decoding: false).Message);
    }

    [Fact]
    public void Check_WarnOrDefault_ReturnsWarningTexts()
    {
        var deployments = Registry.Find("apps", "v1", "deployments")!;
        var obj = Deployment(", \"foo\": 1");

        Assert.Equal(["unknown field \"spec.foo\""], Validator.Check(deployments, obj, "Warn"));
        Assert.Equal(["unknown field \"spec.foo\""], Validator.Check(deployments, obj, null));
        Assert.Empty(Validator.Check(deployments, obj, "Ignore"));
        Assert.Equal(400, Assert.Throws<ApiException>(() => Validator.Check(deployments, obj, "Loud")).Code);
    }

    [Fact]
    public void UnknownFields_PodMetadata_ReportsUnknownMetadataField()
    {
        var pods = Registry.Find("", "v1", "pods")!;
        var pod = JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","nmae":"x"},"spec":{"containers":[{"name":"c","image":"i","env":[{"name":"A","value":"1","vaule":"2"}]}]}}""")!.AsObject();

        Assert.Equal(["metadata.nmae", "spec.containers[0].env[0].vaule"], Validator.UnknownFields(pods, pod));
    }

    [Fact]
    public void UnknownFields_Crd_UsesOpenApiV3SchemaAndPreserveUnknown()
    {
        var crontabs = Registry.Find("stable.example.com", "v1", "crontabs")!;
        var obj = JsonNode.Parse("""
            {"apiVersion":"stable.example.com/v1","kind":"CronTab","metadata":{"name":"c","labels":{"a":"b"}},
             "spec":{"cronSpec":"* * * * */5","image":"x","foo":true,"template":{"anything":{"goes":1}},
                     "labels":{"k":"v"},"steps":[{"name":"a","extra":1}]},
             "status":{"replicas":1}}
            """)!.AsObject();

        Assert.Equal(["spec.foo", "spec.steps[0].extra"], Validator.UnknownFields(crontabs, obj));
        var e = Assert.Throws<ApiException>(() => Validator.Check(crontabs, obj, "Strict"));
        Assert.Equal("CronTab in version \"v1\" cannot be handled as a CronTab: strict decoding error: unknown field \"spec.foo\", unknown field \"spec.steps[0].extra\"", e.Message);

        var v1beta1 = Registry.Find("stable.example.com", "v1beta1", "crontabs")!;
        Assert.Equal(["status"], Validator.UnknownFields(v1beta1, obj));
    }
}
