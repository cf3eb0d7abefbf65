using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Porthole.KubeSim.Tests.Server;

public sealed class KubeApiAuthTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public KubeApiAuthTests(SimFixture sim)
    {
        _sim = sim;
    }

    private static async Task<string> MessageAsync(HttpResponseMessage response) =>
        (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"] ?? "";

    [Fact]
    public async Task Request_WithoutToken_Returns401Status()
    {
        using var http = _sim.Http(user: null);
        using var response = await http.GetAsync("/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Unauthorized", (string?)status["reason"]);
    }

    [Fact]
    public async Task Request_WithWrongToken_Returns401()
    {
        using var http = _sim.Http(user: null);
        http.DefaultRequestHeaders.Authorization = new("Bearer", "sim-admin.0000");
        using var response = await http.GetAsync("/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Health_WithoutToken_IsOk()
    {
        using var http = _sim.Http(user: null);
        Assert.Equal("ok", await http.GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task Delete_AsViewer_Returns403WithApiServerWording()
    {
        using var admin = _sim.Client();
        await admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "guarded" } }, "default");
        using var viewer = _sim.Client("sim-viewer");
        Assert.Equal("guarded", (await viewer.CoreV1.ReadNamespacedConfigMapAsync("guarded", "default")).Metadata.Name);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => viewer.CoreV1.DeleteNamespacedConfigMapAsync("guarded", "default"));
        Assert.Equal(HttpStatusCode.Forbidden, e.Response.StatusCode);
        var status = JsonNode.Parse(e.Response.Content)!;
        Assert.Equal("configmaps \"guarded\" is forbidden: User \"sim-viewer\" cannot delete resource \"configmaps\" in API group \"\" in the namespace \"default\"", (string?)status["message"]);
    }

    [Fact]
    public async Task List_AsDevOutsideTeamNamespace_Forbidden()
    {
        using var dev = _sim.Client("sim-dev");
        Assert.NotNull(await dev.CoreV1.ListNamespacedPodAsync("team-a"));
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => dev.CoreV1.ListNamespacedPodAsync("default"));
        Assert.Equal(HttpStatusCode.Forbidden, e.Response.StatusCode);
        Assert.Contains("cannot list resource \\\"pods\\\" in API group \\\"\\\" in the namespace \\\"default\\\"", e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Impersonate_AsPortholeServer_ActsWithTheImpersonatedUsersRights()
    {
        using var http = _sim.Http("sim-porthole");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/secrets");
        request.Headers.Add("Impersonate-User", "sim-viewer");
        request.Headers.Add("Impersonate-Group", "system:authenticated");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("User \"sim-viewer\" cannot list resource \"secrets\"", await MessageAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Impersonate_WithoutImpersonateVerb_Returns403()
    {
        using var http = _sim.Http("sim-dev");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/team-a/pods");
        request.Headers.Add("Impersonate-User", "sim-admin");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("users \"sim-admin\" is forbidden: User \"sim-dev\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope", await MessageAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelfSubjectAccessReview_OverHttp_AnswersForTheCaller()
    {
        using var dev = _sim.Client("sim-dev");
        var review = await dev.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes { Verb = "create", Resource = "pods", Subresource = "exec", NamespaceProperty = "team-a" },
            },
        });
        Assert.True(review.Status.Allowed);
    }

    [Theory]
    [InlineData("team-a", true)]
    [InlineData("default", false)]
    [InlineData(null, false)]
    public async Task SubjectAccessReview_OverHttpByPortholeServer_AnswersForTheNamedUserAndIsCounted(string? ns, bool allowed)
    {
        using var server = _sim.Client("sim-porthole");
        var before = (_sim.Server.Counters.Reviews("subjectaccessreviews", "sim-porthole"), _sim.Server.Counters.Reviews("subjectaccessreviews", "sim-dev"));
        var review = await server.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = "sim-dev",
                Groups = ["system:authenticated"],
                ResourceAttributes = new V1ResourceAttributes { Verb = "watch", Resource = "configmaps", NamespaceProperty = ns },
            },
        });

        Assert.Equal(allowed, review.Status.Allowed);
        Assert.Equal(before.Item1 + 1, _sim.Server.Counters.Reviews("subjectaccessreviews", "sim-porthole"));
        Assert.Equal(before.Item2, _sim.Server.Counters.Reviews("subjectaccessreviews", "sim-dev")); // counted for who asked, not who is asked about
    }

    [Fact]
    public async Task SubjectAccessReview_AsUserWithoutCreateRight_Returns403()
    {
        using var dev = _sim.Http("sim-dev");
        using var response = await dev.PostAsync(
            "/apis/authorization.k8s.io/v1/subjectaccessreviews",
            new StringContent("""{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"sim-admin","resourceAttributes":{"verb":"list","resource":"secrets"}}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
