using System.Net;
using System.Text.Json;
using static Porthole.Tests.Apis.ResourceClient;

namespace Porthole.Tests.Apis;

/// <summary>The resource API over real Kestrel against KubeSim, as the kubeconfig's user (auth mode none).</summary>
public sealed class ResourceApiTests(KubeSimFixture kube) : IClassFixture<KubeSimFixture>
{
    private const string Ns = "default";

    private static string Cm(string name = "") => Url("sim-admin", $"api/v1/namespaces/{Ns}/configmaps{(name.Length > 0 ? "/" + name : "")}");

    [Fact]
    public async Task Get_PodList_KubernetesJsonWithETagAnd304()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();
        // A namespace of its own: the demo's crash loop and other tests keep changing pods elsewhere,
        // and any change between the two requests would rightly answer 200 instead of 304.
        using var ns = await SendAsync(client, HttpMethod.Post, Url("sim-admin", "api/v1/namespaces"),
            """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"etag-quiet"}}""");
        Assert.True(ns.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"creating the namespace: {ns.StatusCode}");
        var pods = Url("sim-admin", "api/v1/namespaces/etag-quiet/pods");

        using var first = await client.GetAsync(pods);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("PodList", (await JsonAsync(first)).GetProperty("kind").GetString());
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var again = new HttpRequestMessage(HttpMethod.Get, pods);
        again.Headers.IfNoneMatch.Add(etag);
        using var cached = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
    }

    [Fact]
    public async Task Verbs_CreateReadReplacePatchDelete_ExecutedOnTheCluster()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();

        using var created = await SendAsync(client, HttpMethod.Post, Cm(), ConfigMap(Ns, "verbs", "one"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var current = await JsonAsync(await client.GetAsync(Cm("verbs")));
        Assert.Equal("one", current.GetProperty("data").GetProperty("key").GetString());

        var replaced = ConfigMap(Ns, "verbs", "two").Replace("\"labels\"", $"\"resourceVersion\":\"{current.GetProperty("metadata").GetProperty("resourceVersion").GetString()}\",\"labels\"", StringComparison.Ordinal);
        using var put = await SendAsync(client, HttpMethod.Put, Cm("verbs"), replaced);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        using var merge = await SendAsync(client, HttpMethod.Patch, Cm("verbs"), """{"data":{"merge":"m"}}""", "application/merge-patch+json");
        using var strategic = await SendAsync(client, HttpMethod.Patch, Cm("verbs"), """{"data":{"strategic":"s"}}""", "application/strategic-merge-patch+json");
        using var jsonPatch = await SendAsync(client, HttpMethod.Patch, Cm("verbs"), """[{"op":"add","path":"/data/json","value":"j"}]""", "application/json-patch+json");
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { merge.StatusCode, strategic.StatusCode, jsonPatch.StatusCode });

        var data = (await JsonAsync(jsonPatch)).GetProperty("data");
        Assert.Equal(["json", "key", "merge", "strategic"], data.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("two", data.GetProperty("key").GetString());

        using var deleted = await SendAsync(client, HttpMethod.Delete, Cm("verbs") + "?propagationPolicy=Foreground");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);

        // Foreground deletion finishes asynchronously (KubeSim's garbage collector removes the
        // foregroundDeletion finalizer after the DELETE has answered), as in Kubernetes.
        var deadline = DateTime.UtcNow + KubeSimFixture.Deadline;
        HttpStatusCode status;
        do
        {
            using var gone = await client.GetAsync(Cm("verbs"));
            status = gone.StatusCode;
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Patch_ServerSideApplyYaml_FieldManagerPorthole()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();
        const string applied = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: default\ndata:\n  key: applied\n";

        using var response = await SendAsync(client, HttpMethod.Patch, Cm("applied"), applied, "application/apply-patch+yaml");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var managers = (await JsonAsync(response)).GetProperty("metadata").GetProperty("managedFields").EnumerateArray()
            .Select(m => (m.GetProperty("manager").GetString(), m.GetProperty("operation").GetString()));
        Assert.Contains(("porthole", "Apply"), managers);
    }

    [Fact]
    public async Task Post_YamlInYamlOut_RoundTrips()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();
        const string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n  namespace: default\ndata:\n  greeting: hello\n";

        using var created = await SendAsync(client, HttpMethod.Post, Cm(), yaml, "application/yaml", accept: "application/yaml");
        using var read = await SendAsync(client, HttpMethod.Get, Cm("from-yaml"), accept: "application/yaml");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("application/yaml", created.Content.Headers.ContentType?.MediaType);
        var text = await read.Content.ReadAsStringAsync();
        Assert.Equal("application/yaml", read.Content.Headers.ContentType?.MediaType);
        Assert.Contains("kind: ConfigMap", text, StringComparison.Ordinal);
        Assert.Contains("greeting: hello", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_DryRun_NothingStored()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();

        using var dry = await SendAsync(client, HttpMethod.Post, Cm() + "?dryRun=All", ConfigMap(Ns, "dry", "x"));
        using var read = await client.GetAsync(Cm("dry"));

        Assert.Equal(HttpStatusCode.Created, dry.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task Get_SelectorLimitContinueAndTable_PassedToKubernetes()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();
        foreach (var name in new[] { "page-a", "page-b", "page-c" })
        {
            using var created = await SendAsync(client, HttpMethod.Post, Cm(), ConfigMap(Ns, name, "v", label: "paging"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var first = await JsonAsync(await client.GetAsync(Cm() + "?labelSelector=suite%3Dpaging&limit=2"));
        var token = first.GetProperty("metadata").GetProperty("continue").GetString();
        var second = await JsonAsync(await client.GetAsync(Cm() + $"?labelSelector=suite%3Dpaging&limit=2&continue={Uri.EscapeDataString(token!)}"));
        var table = await JsonAsync(await client.GetAsync(Cm() + "?labelSelector=suite%3Dpaging&as=Table"));
        var byField = await JsonAsync(await client.GetAsync(Cm() + "?fieldSelector=metadata.name%3Dpage-b"));

        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        Assert.Equal(1, second.GetProperty("items").GetArrayLength());
        Assert.Equal("Table", table.GetProperty("kind").GetString());
        Assert.Equal(3, table.GetProperty("rows").GetArrayLength());
        Assert.Equal("page-b", byField.GetProperty("items")[0].GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Errors_KubernetesStatusAndReasonKept()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();

        using var missing = await client.GetAsync(Url("sim-admin", "api/v1/namespaces/default/pods/exec"));
        using var invalid = await SendAsync(client, HttpMethod.Post, Cm(), """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Not_Valid"}}""");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("NotFound", (await JsonAsync(missing)).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Equal("Invalid", (await JsonAsync(invalid)).GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("GET", "api/v1/namespaces/default/pods/web/exec?command=sh", 403, "subresource_refused")]
    [InlineData("POST", "api/v1/namespaces/default/pods/web/attach", 403, "subresource_refused")]
    [InlineData("GET", "api/v1/namespaces/default/pods/web/portforward", 403, "subresource_refused")]
    [InlineData("GET", "api/v1/namespaces/default/services/web/proxy/metrics", 403, "subresource_refused")]
    [InlineData("GET", "api/v1/nodes/node-1/proxy", 403, "subresource_refused")]
    [InlineData("GET", "api/v1/pods?watch=true", 400, "watch_not_served")]
    [InlineData("GET", "api/v1/watch/pods", 400, "bad_path")]
    [InlineData("GET", "version", 400, "bad_path")]
    [InlineData("GET", "api/v1//pods", 400, "bad_path")]
    [InlineData("PATCH", "api/v1/namespaces/default/configmaps/x", 415, "unsupported_media_type")]
    public async Task Refused_BeforeCallingKubernetes_ProblemWithCode(string method, string kubePath, int status, string code)
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();

        using var response = await SendAsync(client, new HttpMethod(method), Url("sim-admin", kubePath), method == "GET" ? null : "{}");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, (await JsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Get_UnknownCluster_404ClusterNotFound()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();

        using var response = await client.GetAsync(Url("nowhere", "api/v1/pods"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("cluster_not_found", (await JsonAsync(response)).GetProperty("code").GetString());
    }
}
