using System.Net;
using Porthole.Auth;
using Porthole.Hosting;
using static Porthole.Tests.Apis.ResourceClient;

namespace Porthole.Tests.Apis;

/// <summary>
/// Who the resource API acts as, and read-only mode. Porthole runs as KubeSim's sim-porthole
/// (allowed to impersonate); a middleware after the pipeline stands in for the auth issue's
/// sign-in by setting the signed-in user's impersonation, as its modes will.
/// </summary>
public sealed class ResourceApiIdentityTests(KubeSimFixture kube) : IClassFixture<KubeSimFixture>
{
    private static Action<IApplicationBuilder> SignedIn(string user, bool impersonate = true, AuthenticatedBy by = AuthenticatedBy.Cookie) => app => app.Use((context, next) =>
    {
        context.Features.Set<IPortholeUserFeature>(new PortholeUserFeature(new PortholeUser(user, ["system:authenticated"], by)));
        context.Features.Set<IImpersonationFeature>(new ImpersonationFeature(user, ["system:authenticated"], impersonate));
        return next(context);
    });

    [Fact]
    public async Task Request_SignedInViewer_KubernetesSeesTheViewer()
    {
        await using var host = await kube.StartPortholeAsync(currentContext: "sim-porthole", afterPipeline: SignedIn("sim-viewer"));
        using var client = host.Client();

        using var list = await client.GetAsync(Url("sim-porthole", "api/v1/namespaces/default/configmaps"));
        using var create = await SendAsync(client, HttpMethod.Post, Url("sim-porthole", "api/v1/namespaces/default/configmaps"), ConfigMap("default", "viewer-made", "x"));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        var status = await JsonAsync(create);
        Assert.Equal("Forbidden", status.GetProperty("reason").GetString());
        Assert.Contains("sim-viewer", status.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ClientSendsImpersonateHeaders_StrippedAndUserStillTheViewer()
    {
        await using var host = await kube.StartPortholeAsync(currentContext: "sim-porthole", afterPipeline: SignedIn("sim-viewer"));
        using var client = host.Client();

        using var create = await SendAsync(client, HttpMethod.Post, Url("sim-porthole", "api/v1/namespaces/default/configmaps"), ConfigMap("default", "escalated", "x"),
            headers: h =>
            {
                h.Add("Impersonate-User", "sim-admin");
                h.Add("Impersonate-Group", "system:masters");
            });

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Contains("sim-viewer", (await JsonAsync(create)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_SignedInUserWithoutImpersonation_401NeverTheServerIdentity()
    {
        await using var host = await kube.StartPortholeAsync(currentContext: "sim-porthole", afterPipeline: SignedIn("someone", impersonate: false));
        using var client = host.Client();

        using var list = await client.GetAsync(Url("sim-porthole", "api/v1/namespaces/default/configmaps"));

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal("unauthenticated", (await JsonAsync(list)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Request_UserTokenCredential_ServerCredentialsReplacedByTheUsersToken()
    {
        // The seam of auth mode token: the auth stage sets the user's own credential.
        var token = kube.Sim.Tokens["sim-viewer"];
        await using var host = await kube.StartPortholeAsync(currentContext: "sim-admin", afterPipeline: app => app.Use((context, next) =>
        {
            context.Features.Set<Porthole.Clusters.IKubeCredentialFeature>(new Porthole.Clusters.KubeCredentialFeature(new Porthole.Clusters.KubeCredential.UserToken(token)));
            return next(context);
        }));
        using var client = host.Client();

        using var create = await SendAsync(client, HttpMethod.Post, Url("sim-admin", "api/v1/namespaces/default/configmaps"), ConfigMap("default", "token-made", "x"));

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Contains("sim-viewer", (await JsonAsync(create)).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, new Porthole.Clusters.KubeCredential.UserToken(token).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mutation_ReadOnly_403WithClearMessageAndReadsStillServed()
    {
        await using var host = await kube.StartPortholeAsync(new PortholeOptions { ReadOnly = true });
        using var client = host.Client();
        var configMaps = Url("sim-admin", "api/v1/namespaces/default/configmaps");

        using var read = await client.GetAsync(configMaps);
        using var create = await SendAsync(client, HttpMethod.Post, configMaps, ConfigMap("default", "read-only", "x"));
        using var delete = await SendAsync(client, HttpMethod.Delete, configMaps + "/kube-root-ca.crt");
        using var review = await SendAsync(client, HttpMethod.Post, Url("sim-admin", "apis/authorization.k8s.io/v1/selfsubjectaccessreviews"),
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"verb":"create","resource":"configmaps","namespace":"default"}}}""");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        var problem = await JsonAsync(create);
        Assert.Equal("read_only", problem.GetProperty("code").GetString());
        Assert.Contains("PORTHOLE_READ_ONLY=true", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Created, review.StatusCode);
    }
}
