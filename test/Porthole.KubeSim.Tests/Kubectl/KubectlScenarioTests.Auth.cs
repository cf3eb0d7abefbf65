using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Porthole.KubeSim.Tests.Kubectl;

/// <summary>auth can-i --list, auth whoami and create token, checked against what the cluster then allows.</summary>
public abstract partial class KubectlScenarioTests
{
    [Fact]
    public async Task AuthCanIList_UserAndServiceAccount_ListTheirRules()
    {
        var (k, ns) = await SetupAsync("can-i-list");
        var dev = await k.OkAsync("auth", "can-i", "--list", "--context", "sim-dev", "-n", "team-a");
        Assert.Matches(@"(?m)^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs", dev);
        Assert.Matches(@"(?m)^pods/exec\s+\[\]\s+\[\]\s+\[[a-z ]*\bcreate\b", dev);
        Assert.Matches(@"(?m)^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]", dev);
        Assert.Matches(@"(?m)^\s+\[/version\]\s+\[\]\s+\[get\]", dev);
        Assert.DoesNotMatch(@"(?m)^pods/exec", await k.OkAsync("auth", "can-i", "--list", "--context", "sim-dev", "-n", "default"));

        // Impersonating a service account brings its groups: a binding to the namespace's group applies.
        await k.OkAsync("create", "serviceaccount", "robot", "-n", ns);
        await k.OkAsync("create", "role", "lister", "-n", ns, "--verb=list", "--resource=configmaps", "--resource-name=app-config");
        await k.OkAsync("create", "rolebinding", "lister", "-n", ns, "--role=lister", $"--group=system:serviceaccounts:{ns}");
        var robot = await k.OkAsync("auth", "can-i", "--list", "-n", ns, "--as", $"system:serviceaccount:{ns}:robot");
        Assert.Matches(@"(?m)^configmaps\s+\[\]\s+\[app-config\]\s+\[list\]", robot);
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "list", "configmaps", "-n", ns, "--as", $"system:serviceaccount:{ns}:robot")).Stdout.Trim());
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "list", "configmaps/app-config", "-n", ns, "--as", $"system:serviceaccount:{ns}:robot")).Stdout.Trim());
    }

    [Fact]
    public async Task AuthWhoami_ContextsAndImpersonation_ShowTheUser()
    {
        var k = Kubectl();
        var admin = await k.OkAsync("auth", "whoami");
        Assert.Matches(@"(?m)^Username\s+sim-admin$", admin);
        Assert.Matches(@"(?m)^Groups\s+\[system:masters system:authenticated\]$", admin);

        var dev = await GetJsonAsync(k, "auth", "whoami", "--context", "sim-dev");
        Assert.Equal("SelfSubjectReview", (string?)dev["kind"]);
        AssertJson("""{"username":"sim-dev","groups":["system:authenticated"]}""", dev["status"]!["userInfo"]);

        var impersonated = await GetJsonAsync(k, "auth", "whoami", "--as", "jane", "--as-group", "developers");
        AssertJson("""{"username":"jane","groups":["developers","system:authenticated"]}""", impersonated["status"]!["userInfo"]);

        // A 403 (here: sim-viewer may not impersonate) is what kubectl words as "not enabled or no permission".
        var refused = await k.RunAsync("auth", "whoami", "--context", "sim-viewer", "--as", "jane");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it", refused.Stderr.Trim());
        var forbidden = await k.RunAsync("get", "pods", "--context", "sim-viewer", "--as", "jane");
        Assert.Equal("Error from server (Forbidden): users \"jane\" is forbidden: User \"sim-viewer\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope", forbidden.Stderr.Trim());
    }

    [Fact]
    public async Task CreateToken_ServiceAccount_TokenActsAsItUntilRevoked()
    {
        var (k, ns) = await SetupAsync("token");
        await k.OkAsync("create", "serviceaccount", "builder", "-n", ns);
        var saUid = (await k.OkAsync("get", "sa", "builder", "-n", ns, "-o", "jsonpath={.metadata.uid}")).Trim();
        var token = (await k.OkAsync("create", "token", "builder", "-n", ns)).Trim();
        var claims = Claims(token);
        Assert.Equal($"system:serviceaccount:{ns}:builder", (string?)claims["sub"]);
        AssertJson("""["https://kubernetes.default.svc.cluster.local"]""", claims["aud"]);
        Assert.Equal(3600, (long)claims["exp"]! - (long)claims["iat"]!);
        AssertJson($$"""{"name":"builder","uid":"{{saUid}}"}""", claims["kubernetes.io"]!["serviceaccount"]);

        var whoami = await GetJsonAsync(k, "auth", "whoami", "--token", token);
        var user = whoami["status"]!["userInfo"]!;
        Assert.Equal($"system:serviceaccount:{ns}:builder", (string?)user["username"]);
        Assert.Equal(saUid, (string?)user["uid"]);
        AssertJson($$"""["system:serviceaccounts","system:serviceaccounts:{{ns}}","system:authenticated"]""", user["groups"]);
        AssertJson($$"""["JTI={{claims["jti"]}}"]""", user["extra"]!["authentication.kubernetes.io/credential-id"]);

        // It is that service account for RBAC: nothing until a binding, then what the binding gives.
        var denied = await k.RunAsync("get", "pods", "-n", ns, "--token", token);
        Assert.Equal($"Error from server (Forbidden): pods is forbidden: User \"system:serviceaccount:{ns}:builder\" cannot list resource \"pods\" in API group \"\" in the namespace \"{ns}\"", denied.Stderr.Trim());
        await k.OkAsync("create", "rolebinding", "builder-view", "-n", ns, "--clusterrole=view", $"--serviceaccount={ns}:builder");
        Assert.Equal("No resources found in " + ns + " namespace.", (await k.RunAsync("get", "pods", "-n", ns, "--token", token)).Stderr.Trim());

        // Deleting the service account revokes its tokens.
        await k.OkAsync("delete", "serviceaccount", "builder", "-n", ns);
        var revoked = await k.RunAsync("get", "pods", "-n", ns, "--token", token);
        Assert.Equal("error: You must be logged in to the server (Unauthorized)", revoked.Stderr.Trim());
    }

    [Fact]
    public async Task CreateToken_AudienceDurationAndBoundPod_HonouredByTheServer()
    {
        var (k, ns) = await SetupAsync("token-bound");
        await k.OkAsync("create", "serviceaccount", "runner", "-n", ns);

        var vault = (await k.OkAsync("create", "token", "runner", "-n", ns, "--audience=vault", "--duration=20m")).Trim();
        var claims = Claims(vault);
        AssertJson("""["vault"]""", claims["aud"]);
        Assert.Equal(1200, (long)claims["exp"]! - (long)claims["iat"]!);
        // Not for this API server's audience: refused as a credential, though a TokenReview for "vault" knows it.
        Assert.Equal("error: You must be logged in to the server (Unauthorized)", (await k.RunAsync("auth", "whoami", "--token", vault)).Stderr.Trim());
        var review = await k.RunAsync(["create", "-o", "json", "-f", "-"], stdin: $$$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"{{{vault}}}","audiences":["vault"]}}""");
        Assert.True(review.ExitCode == 0, review.ToString());
        var status = JsonNode.Parse(review.Stdout)!["status"]!;
        Assert.Equal(true, (bool?)status["authenticated"]);
        Assert.Equal($"system:serviceaccount:{ns}:runner", (string?)status["user"]!["username"]);
        AssertJson("""["vault"]""", status["audiences"]);

        var tooShort = await k.RunAsync("create", "token", "runner", "-n", ns, "--duration=5m");
        Assert.Equal("error: failed to create token: TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes", tooShort.Stderr.Trim());
        var missing = await k.RunAsync("create", "token", "nobody", "-n", ns);
        Assert.Equal("error: failed to create token: serviceaccounts \"nobody\" not found", missing.Stderr.Trim());

        await k.OkAsync("run", "worker", "-n", ns, "--image=nginx:1.27", "--overrides", """{"spec":{"serviceAccountName":"runner"}}""");
        await WaitRunningAsync(k, ns, "worker");
        var podUid = (await k.OkAsync("get", "pod", "worker", "-n", ns, "-o", "jsonpath={.metadata.uid}")).Trim();
        var wrongAccount = await k.RunAsync("create", "token", "default", "-n", ns, "--bound-object-kind=Pod", "--bound-object-name=worker");
        Assert.Equal("error: failed to create token: cannot bind token for serviceaccount \"default\" to pod running with different serviceaccount name.", wrongAccount.Stderr.Trim());
        var bound = (await k.OkAsync("create", "token", "runner", "-n", ns, "--bound-object-kind=Pod", "--bound-object-name=worker")).Trim();
        AssertJson($$"""{"name":"worker","uid":"{{podUid}}"}""", Claims(bound)["kubernetes.io"]!["pod"]);
        var extra = (await GetJsonAsync(k, "auth", "whoami", "--token", bound))["status"]!["userInfo"]!["extra"]!;
        AssertJson("""["worker"]""", extra["authentication.kubernetes.io/pod-name"]);
        AssertJson($$"""["{{podUid}}"]""", extra["authentication.kubernetes.io/pod-uid"]);

        // The token dies with its pod.
        await k.OkAsync("delete", "pod", "worker", "-n", ns, "--grace-period=0", "--force");
        Assert.Equal("error: You must be logged in to the server (Unauthorized)", (await k.RunAsync("auth", "whoami", "--token", bound)).Stderr.Trim());
    }

    private static JsonNode Claims(string jwt) => JsonNode.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[1]))!;
}
