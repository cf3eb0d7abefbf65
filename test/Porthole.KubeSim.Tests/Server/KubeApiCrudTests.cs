using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Porthole.KubeSim.Tests.Server;

public sealed class KubeApiCrudTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public KubeApiCrudTests(SimFixture sim)
    {
        _sim = sim;
    }

    private static V1ConfigMap ConfigMap(string name, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Data = new Dictionary<string, string> { ["k"] = "v" },
    };

    private static V1OwnerReference Owner(string name, V1ConfigMap owner) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Name = name,
        Uid = owner.Metadata.Uid,
        BlockOwnerDeletion = true,
    };

    [Fact]
    public async Task Create_ThenGet_ReturnsServerFields()
    {
        using var client = _sim.Client();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("crud-a"), "default");
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.False(string.IsNullOrEmpty(created.Metadata.ResourceVersion));
        var read = await client.CoreV1.ReadNamespacedConfigMapAsync("crud-a", "default");
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal("v", read.Data["k"]);
    }

    [Fact]
    public async Task Create_Twice_Returns409AlreadyExists()
    {
        using var client = _sim.Client();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("crud-dup"), "default");
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("crud-dup"), "default"));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Contains("configmaps \\\"crud-dup\\\" already exists", e.Response.Content, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"AlreadyExists\"", e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_StaleResourceVersion_Returns409Conflict()
    {
        using var client = _sim.Client();
        var first = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("crud-stale"), "default");
        first.Data["k"] = "2";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "crud-stale", "default");
        first.Data["k"] = "3";
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "crud-stale", "default"));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Contains("the object has been modified", e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Missing_Returns404NotFoundStatus()
    {
        using var client = _sim.Client();
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedConfigMapAsync("nope", "default"));
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        Assert.Contains("configmaps \\\"nope\\\" not found", e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InMissingNamespace_Returns404ForNamespace()
    {
        using var client = _sim.Client();
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("x"), "no-such-ns"));
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        Assert.Contains("namespaces \\\"no-such-ns\\\" not found", e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_GenerateName_AppendsFiveCharacters()
    {
        using var client = _sim.Client();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "gen-" } }, "default");
        Assert.Matches("^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$", created.Metadata.Name);
    }

    [Fact]
    public async Task Create_InvalidName_Returns422Invalid()
    {
        using var client = _sim.Client();
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("Bad_Name"), "default"));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);
        Assert.Contains("a lowercase RFC 1123 subdomain", e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithLimit_PagesWithContinueAndRemainingCount()
    {
        using var client = _sim.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "paging" } });
        for (var i = 0; i < 5; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"page-{i}"), "paging");
        }

        var first = await client.CoreV1.ListNamespacedConfigMapAsync("paging", limit: 2);
        Assert.Equal(["page-0", "page-1"], first.Items.Select(i => i.Metadata.Name));
        Assert.Equal(3, first.Metadata.RemainingItemCount);
        var names = first.Items.Select(i => i.Metadata.Name).ToList();
        var cont = first.Metadata.ContinueProperty;
        while (!string.IsNullOrEmpty(cont))
        {
            var page = await client.CoreV1.ListNamespacedConfigMapAsync("paging", limit: 2, continueParameter: cont);
            names.AddRange(page.Items.Select(i => i.Metadata.Name));
            cont = page.Metadata.ContinueProperty;
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"page-{i}"), names);
    }

    [Fact]
    public async Task DeleteNamespace_RemovesContentsThenNamespace()
    {
        using var client = _sim.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "doomed" } });
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("inside"), "doomed");
        var deleting = await client.CoreV1.DeleteNamespaceAsync("doomed");
        await Eventually.GetAsync(
            async () => (await client.CoreV1.ListNamespaceAsync()).Items.Any(n => n.Metadata.Name == "doomed"),
            present => !present,
            what: "namespace doomed gone");
        Assert.Empty((await client.CoreV1.ListNamespacedConfigMapAsync("doomed")).Items);
    }

    [Fact]
    public async Task DeleteOwner_Background_CollectsDependents()
    {
        using var client = _sim.Client();
        var owner = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner-bg"), "default");
        var dependent = ConfigMap("dependent-bg");
        dependent.Metadata.OwnerReferences = [Owner("owner-bg", owner)];
        await client.CoreV1.CreateNamespacedConfigMapAsync(dependent, "default");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner-bg", "default", propagationPolicy: "Background");
        await Eventually.GetAsync(
            async () => (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Any(c => c.Metadata.Name == "dependent-bg"),
            present => !present,
            what: "dependent collected");
    }

    [Fact]
    public async Task DeleteOwner_Orphan_KeepsDependentWithoutOwnerReference()
    {
        using var client = _sim.Client();
        var owner = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner-or"), "default");
        var dependent = ConfigMap("dependent-or");
        dependent.Metadata.OwnerReferences = [Owner("owner-or", owner)];
        await client.CoreV1.CreateNamespacedConfigMapAsync(dependent, "default");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner-or", "default", propagationPolicy: "Orphan");
        await Eventually.GetAsync(
            async () => (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Any(c => c.Metadata.Name == "owner-or"),
            present => !present,
            what: "owner gone");
        var kept = await client.CoreV1.ReadNamespacedConfigMapAsync("dependent-or", "default");
        Assert.Null(kept.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task DeleteOwner_Foreground_WaitsForDependents()
    {
        using var client = _sim.Client();
        var owner = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner-fg"), "default");
        var dependent = ConfigMap("dependent-fg");
        dependent.Metadata.OwnerReferences = [Owner("owner-fg", owner)];
        dependent.Metadata.Finalizers = ["example.com/hold"];
        await client.CoreV1.CreateNamespacedConfigMapAsync(dependent, "default");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner-fg", "default", propagationPolicy: "Foreground");

        var marked = await client.CoreV1.ReadNamespacedConfigMapAsync("owner-fg", "default");
        Assert.NotNull(marked.Metadata.DeletionTimestamp);
        Assert.Contains("foregroundDeletion", marked.Metadata.Finalizers);

        await Eventually.GetAsync(
            () => client.CoreV1.ReadNamespacedConfigMapAsync("dependent-fg", "default"),
            d => d.Metadata.DeletionTimestamp is not null,
            what: "dependent marked");

        // A patch without a resourceVersion, as `kubectl patch` releases a finalizer: the garbage
        // collector may still be writing the dependent, which would make a replace conflict.
        var release = new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch);
        await client.CoreV1.PatchNamespacedConfigMapAsync(release, "dependent-fg", "default");
        await Eventually.GetAsync(
            async () => (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Count(c => c.Metadata.Name is "owner-fg" or "dependent-fg"),
            n => n == 0,
            what: "owner and dependent gone");
    }

    [Fact]
    public async Task Create_InTerminatingNamespace_Forbidden()
    {
        using var client = _sim.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "closing" } });
        var held = ConfigMap("held");
        held.Metadata.Finalizers = ["example.com/hold"];
        await client.CoreV1.CreateNamespacedConfigMapAsync(held, "closing");
        await client.CoreV1.DeleteNamespaceAsync("closing");
        var ns = await client.CoreV1.ReadNamespaceAsync("closing");
        Assert.Equal("Terminating", ns.Status.Phase);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("late"), "closing"));
        Assert.Equal(HttpStatusCode.Forbidden, e.Response.StatusCode);
        Assert.Contains("unable to create new content in namespace closing because it is being terminated", e.Response.Content, StringComparison.Ordinal);

        var marked = await Eventually.GetAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("held", "closing"), c => c.Metadata.DeletionTimestamp is not null, what: "content marked");
        marked.Metadata.Finalizers = null;
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(marked, "held", "closing");
        await Eventually.GetAsync(
            async () => (await client.CoreV1.ListNamespaceAsync()).Items.Any(n => n.Metadata.Name == "closing"),
            present => !present,
            what: "namespace finalized");
    }
}
