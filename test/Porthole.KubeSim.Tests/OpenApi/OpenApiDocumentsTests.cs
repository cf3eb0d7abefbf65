using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Discovery;
using Porthole.KubeSim.OpenApi;
using Porthole.KubeSim.Tests.Discovery;

namespace Porthole.KubeSim.Tests.OpenApi;

public sealed class OpenApiDocumentsTests
{
    private static JsonObject Parse(ServedDocument? doc) => JsonNode.Parse(doc!.Body)!.AsObject();

    [Fact]
    public void V3Index_EveryServedGroupVersion_HasStableHashedUrl()
    {
        var registry = new ResourceRegistry();
        var first = Parse(new OpenApiDocuments(registry).V3Index());
        var docs = new OpenApiDocuments(new ResourceRegistry());
        var second = Parse(docs.V3Index());

        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        var paths = second["paths"]!.AsObject();
        foreach (var (group, versions) in registry.Groups())
        {
            foreach (var version in versions)
            {
                var key = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
                var url = paths[key]!.Str("serverRelativeURL")!;
                var doc = docs.V3(key)!;
                Assert.Equal($"/openapi/v3/{key}?hash={doc.Hash}", url);
                Assert.Equal(128, doc.Hash.Length);
                Assert.Equal($"\"{doc.Hash}\"", doc.ETag);
            }
        }

        Assert.Same(docs.V3("apis/apps/v1"), docs.V3("/apis/apps/v1"));
        Assert.Null(docs.V3("apis/apps/v2"));
    }

    [Fact]
    public void V3_EveryServedResource_HasPathsAndPatchWithFieldValidation()
    {
        var registry = new ResourceRegistry();
        registry.SetCustom("stable.example.com", "crontabs", CrdResources.FromCrd(CrdFixtures.CronTab()));
        var docs = new OpenApiDocuments(registry);

        foreach (var r in registry.All)
        {
            var key = r.Group.Length == 0 ? $"api/{r.Version}" : $"apis/{r.Group}/{r.Version}";
            var doc = Parse(docs.V3(key));
            var prefix = r.Group.Length == 0 ? "/api/v1" : $"/apis/{r.Group}/{r.Version}";
            var collection = r.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{r.Plural}" : $"{prefix}/{r.Plural}";
            var schema = OpenApiDocuments.SchemaName(r);
            Assert.True(schema is not null, r.GroupResource);
            Assert.True(doc["components"]!["schemas"]![schema] is not null, schema);
            if (r.IsVirtual)
            {
                Assert.True(doc["paths"]![collection]?["post"] is not null, collection);
                continue;
            }

            var patch = doc["paths"]![collection + "/{name}"]?["patch"];
            if (!r.Supports("patch"))
            {
                Assert.True(doc["paths"]![collection + "/{name}"]?["get"] is not null, collection);
                continue;
            }

            Assert.True(patch is not null, collection);
            Assert.Equal(r.Kind, patch!["x-kubernetes-group-version-kind"]!.Str("kind"));
            Assert.Contains(patch["parameters"]!.AsArray(), p => p!.Str("name") == "fieldValidation" && p.Str("in") == "query");
        }
    }

    [Fact]
    public void V3_DeploymentPatch_CarriesFieldValidationAndGvk()
    {
        var doc = Parse(new OpenApiDocuments(new ResourceRegistry()).V3("apis/apps/v1"));

        Assert.Equal("3.0.0", doc.Str("openapi"));
        var item = doc["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!.AsObject();
        var patch = item["patch"]!.AsObject();
        Assert.Equal("patch", patch.Str("x-kubernetes-action"));
        Assert.Equal("patchAppsV1NamespacedDeployment", patch.Str("operationId"));
        Assert.Equal("{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}", patch["x-kubernetes-group-version-kind"]!.ToJsonString());
        var names = patch["parameters"]!.AsArray().Select(p => $"{p!.Str("in")}:{p!.Str("name")}").ToList();
        Assert.Contains("query:fieldValidation", names);
        Assert.Contains("query:dryRun", names);
        Assert.Contains("query:fieldManager", names);
        Assert.Contains("query:force", names);
        Assert.NotNull(patch["requestBody"]!["content"]!["application/strategic-merge-patch+json"]);
        Assert.NotNull(item["get"]);
        Assert.NotNull(item["put"]);
        Assert.NotNull(item["delete"]);
        Assert.NotNull(doc["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments"]!["post"]);
        Assert.NotNull(doc["paths"]!["/apis/apps/v1/deployments"]!["get"]);
        var scalePatch = doc["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]!["patch"]!;
        Assert.Equal("Scale", scalePatch["x-kubernetes-group-version-kind"]!.Str("kind"));
        Assert.Equal("autoscaling", scalePatch["x-kubernetes-group-version-kind"]!.Str("group"));
    }

    [Fact]
    public void V3_DeploymentSchema_ExplainsSpecReplicas()
    {
        var schemas = Parse(new OpenApiDocuments(new ResourceRegistry()).V3("apis/apps/v1"))["components"]!["schemas"]!.AsObject();

        var deployment = schemas["io.k8s.api.apps.v1.Deployment"]!;
        Assert.Equal("[{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}]", deployment["x-kubernetes-group-version-kind"]!.ToJsonString());
        Assert.Equal("#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec", deployment["properties"]!["spec"]!["allOf"]![0]!.Str("$ref"));
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", deployment["properties"]!["metadata"]!["allOf"]![0]!.Str("$ref"));
        var replicas = schemas["io.k8s.api.apps.v1.DeploymentSpec"]!["properties"]!["replicas"]!;
        Assert.Equal("integer", replicas.Str("type"));
        Assert.Equal("int32", replicas.Str("format"));
        Assert.StartsWith("Number of desired pods.", replicas.Str("description"));
        Assert.Contains("template", schemas["io.k8s.api.apps.v1.DeploymentSpec"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.NotNull(schemas["io.k8s.api.core.v1.PodTemplateSpec"]);
        Assert.NotNull(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"]);
        Assert.NotNull(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.Status"]);
        Assert.NotNull(schemas["io.k8s.api.autoscaling.v1.Scale"]);
        Assert.Null(schemas["io.k8s.api.core.v1.Pod"]);
    }

    [Fact]
    public void V3_PodSchema_CarriesListMergeStrategies()
    {
        var schemas = Parse(new OpenApiDocuments(new ResourceRegistry()).V3("api/v1"))["components"]!["schemas"]!.AsObject();

        var containers = schemas["io.k8s.api.core.v1.PodSpec"]!["properties"]!["containers"]!;
        Assert.Equal("map", containers.Str("x-kubernetes-list-type"));
        Assert.Equal("name", containers.Str("x-kubernetes-patch-merge-key"));
        Assert.Equal("merge", containers.Str("x-kubernetes-patch-strategy"));
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.Container", containers["items"]!.Str("$ref"));
        var ports = schemas["io.k8s.api.core.v1.Container"]!["properties"]!["ports"]!;
        Assert.Equal("[\"containerPort\",\"protocol\"]", ports["x-kubernetes-list-map-keys"]!.ToJsonString());
        Assert.Equal("set", schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]!["properties"]!["finalizers"]!.Str("x-kubernetes-list-type"));
        Assert.Equal("atomic", schemas["io.k8s.api.core.v1.Container"]!["properties"]!["args"]!.Str("x-kubernetes-list-type"));
        var targetPort = schemas["io.k8s.api.core.v1.ServicePort"]!["properties"]!["targetPort"]!;
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString", targetPort["allOf"]![0]!.Str("$ref"));
        Assert.Equal("int-or-string", schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]!.Str("format"));
        Assert.Equal("date-time", schemas["io.k8s.apimachinery.pkg.apis.meta.v1.Time"]!.Str("format"));
        var limits = schemas["io.k8s.api.core.v1.ResourceRequirements"]!["properties"]!["limits"]!;
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity", limits["additionalProperties"]!.Str("$ref"));
        Assert.Equal("byte", schemas["io.k8s.api.core.v1.Secret"]!["properties"]!["data"]!["additionalProperties"]!.Str("format"));
        var execPath = Parse(new OpenApiDocuments(new ResourceRegistry()).V3("api/v1"))["paths"]!["/api/v1/namespaces/{namespace}/pods/{name}/exec"]!;
        Assert.Equal("connect", execPath["post"]!.Str("x-kubernetes-action"));
    }

    [Fact]
    public void V3_Crd_PublishesSchemaWithGvkAndMergePatchOnly()
    {
        var registry = new ResourceRegistry();
        var docs = new OpenApiDocuments(registry);
        var indexBefore = docs.V3Index();
        registry.SetCustom("stable.example.com", "crontabs", CrdResources.FromCrd(CrdFixtures.CronTab()));

        var index = Parse(docs.V3Index());
        Assert.NotSame(indexBefore, docs.V3Index());
        Assert.NotNull(index["paths"]!["apis/stable.example.com/v1"]);
        Assert.NotNull(index["paths"]!["apis/stable.example.com/v1beta1"]);
        var doc = Parse(docs.V3("apis/stable.example.com/v1"));
        var crontab = doc["components"]!["schemas"]!["com.example.stable.v1.CronTab"]!;
        Assert.Equal("[{\"group\":\"stable.example.com\",\"kind\":\"CronTab\",\"version\":\"v1\"}]", crontab["x-kubernetes-group-version-kind"]!.ToJsonString());
        Assert.Equal("The cron schedule of the job.", crontab["properties"]!["spec"]!["properties"]!["cronSpec"]!.Str("description"));
        Assert.Equal("string", crontab["properties"]!["apiVersion"]!.Str("type"));
        Assert.NotNull(doc["components"]!["schemas"]!["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]);
        Assert.NotNull(doc["components"]!["schemas"]!["com.example.stable.v1.CronTabList"]);
        var patch = doc["paths"]!["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}"]!["patch"]!;
        Assert.Null(patch["requestBody"]!["content"]!["application/strategic-merge-patch+json"]);
        Assert.NotNull(patch["requestBody"]!["content"]!["application/merge-patch+json"]);
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!.Str("name") == "fieldValidation");
        Assert.Equal("patchStableExampleComV1NamespacedCronTab", patch.Str("operationId"));
        Assert.NotNull(doc["paths"]!["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/scale"]);

        registry.RemoveCustom("stable.example.com", "crontabs");
        Assert.Null(docs.V3("apis/stable.example.com/v1"));
    }

    [Fact]
    public void V2_Swagger_UsesDefinitionsAndBodyParameters()
    {
        var doc = Parse(new OpenApiDocuments(new ResourceRegistry()).V2());

        Assert.Equal("2.0", doc.Str("swagger"));
        var definitions = doc["definitions"]!.AsObject();
        Assert.NotNull(definitions["io.k8s.api.core.v1.Pod"]);
        var spec = definitions["io.k8s.api.apps.v1.Deployment"]!["properties"]!["spec"]!;
        Assert.Equal("#/definitions/io.k8s.api.apps.v1.DeploymentSpec", spec.Str("$ref"));
        Assert.Null(spec["allOf"]);
        var patch = doc["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        Assert.Contains("application/strategic-merge-patch+json", patch["consumes"]!.AsArray().Select(c => c!.GetValue<string>()));
        var parameters = patch["parameters"]!.AsArray().OfType<JsonObject>().ToList();
        var body = parameters.Single(p => p.Str("in") == "body");
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch", body["schema"]!.Str("$ref"));
        Assert.Equal("string", parameters.Single(p => p.Str("name") == "fieldValidation").Str("type"));
        Assert.Equal("#/definitions/io.k8s.api.apps.v1.Deployment", patch["responses"]!["200"]!["schema"]!.Str("$ref"));
        Assert.DoesNotContain("#/components/", System.Text.Encoding.UTF8.GetString(new OpenApiDocuments(new ResourceRegistry()).V2().Body));
    }
}
