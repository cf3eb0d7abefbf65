using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Porthole.KubeSim.Security;

namespace Porthole.KubeSim.Tests.EndToEnd;

/// <summary>Area 8: exec over WebSockets with the client's demuxer, exec authorization, and pod metrics.</summary>
public sealed class ExecMetricsTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public ExecMetricsTests(SimFixture sim)
    {
        _sim = sim;
    }

    /// <summary>Runs a command through WebSocketNamespacedPodExecAsync; returns stdout and the error-channel Status.</summary>
    private static async Task<(string Stdout, JsonObject Status)> ExecAsync(Kubernetes client, string ns, string pod, string[] command)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var socket = await client.WebSocketNamespacedPodExecAsync(pod, ns, command, "app", stderr: true, stdin: false, stdout: true, tty: false, cancellationToken: cts.Token);
        using var demuxer = new StreamDemuxer(socket);
        demuxer.Start();
        using var stdout = new StreamReader(demuxer.GetStream(ChannelIndex.StdOut, null));
        using var error = new StreamReader(demuxer.GetStream(ChannelIndex.Error, null));
        var output = stdout.ReadToEndAsync(cts.Token);
        var status = await error.ReadToEndAsync(cts.Token);
        return (await output, JsonNode.Parse(status)!.AsObject());
    }

    [Fact]
    public async Task Exec_Echo_OutputAndSuccessOnErrorChannel()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "exec");
        await E2e.RunPodAsync(client, ns, E2e.Pod("shell"));
        var (stdout, status) = await ExecAsync(client, ns, "shell", ["echo", "hello", "e2e"]);
        Assert.Equal("hello e2e\n", stdout);
        Assert.Equal("Success", (string?)status["status"]);
    }

    [Fact]
    public async Task Exec_NonZeroExit_ReportsExitCodeCause()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "exitc");
        await E2e.RunPodAsync(client, ns, E2e.Pod("shell"));
        var (_, status) = await ExecAsync(client, ns, "shell", ["sh", "-c", "exit 7"]);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal("NonZeroExitCode", (string?)status["reason"]);
        var cause = Assert.Single(status["details"]!["causes"]!.AsArray())!;
        Assert.Equal(("ExitCode", "7"), ((string?)cause["reason"], (string?)cause["message"]));
    }

    [Fact]
    public async Task Exec_AsViewer_Forbidden()
    {
        using var admin = _sim.Client();
        var ns = await E2e.NamespaceAsync(admin, "execv");
        await E2e.RunPodAsync(admin, ns, E2e.Pod("shell"));
        using var viewer = _sim.Client(SimUsers.Viewer);
        var upgrade = await Assert.ThrowsAsync<WebSocketException>(() => ExecAsync(viewer, ns, "shell", ["echo", "no"]));
        Assert.Contains("'403'", upgrade.Message, StringComparison.Ordinal);

        using var http = _sim.Http(SimUsers.Viewer);
        using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/pods/shell/exec?command=echo&command=no&stdout=true", null);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(
            $"pods \"shell\" is forbidden: User \"sim-viewer\" cannot create resource \"pods/exec\" in API group \"\" in the namespace \"{ns}\"",
            (string?)status["message"]);
    }

    [Fact]
    public async Task Exec_CreateOnlyRole_PostPassesAuthorizationWebSocketGetDoesNot()
    {
        using var admin = _sim.Client();
        var ns = await E2e.NamespaceAsync(admin, "execc");
        await E2e.RunPodAsync(admin, ns, E2e.Pod("shell"));
        await admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "exec-create" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["pods/exec"], Verbs = ["create"] }],
        }, ns);
        await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "eve-exec" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "exec-create" },
            Subjects = [new Rbacv1Subject { Kind = "User", Name = "eve", ApiGroup = "rbac.authorization.k8s.io" }],
        }, ns);

        using var http = _sim.Http();
        async Task<(HttpStatusCode Code, string Body)> AsEveAsync(HttpMethod method)
        {
            using var request = new HttpRequestMessage(method, $"/api/v1/namespaces/{ns}/pods/shell/exec?command=echo&stdout=true");
            request.Headers.Add(Impersonation.UserHeader, "eve");
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var post = await AsEveAsync(HttpMethod.Post);
        Assert.NotEqual(HttpStatusCode.Forbidden, post.Code);
        var get = await AsEveAsync(HttpMethod.Get);
        Assert.Equal(HttpStatusCode.Forbidden, get.Code);
        Assert.Contains("User \\\"eve\\\" cannot get resource \\\"pods/exec\\\"", get.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_AsDevInTeamNamespace_Allowed()
    {
        using var admin = _sim.Client();
        var name = $"dev-shell-{Guid.NewGuid():N}"[..16];
        await E2e.RunPodAsync(admin, SimUsers.TeamNamespace, E2e.Pod(name));
        try
        {
            using var dev = _sim.Client(SimUsers.Dev);
            var (stdout, status) = await ExecAsync(dev, SimUsers.TeamNamespace, name, ["echo", "dev"]);
            Assert.Equal("dev\n", stdout);
            Assert.Equal("Success", (string?)status["status"]);
        }
        finally
        {
            await admin.CoreV1.DeleteNamespacedPodAsync(name, SimUsers.TeamNamespace, gracePeriodSeconds: 0);
        }
    }

    [Fact]
    public async Task PodMetrics_RunningPods_ListedWithContainerUsage()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "metrics");
        await E2e.RunPodAsync(client, ns, E2e.Pod("busy", null, "main", "sidecar"));
        var pending = E2e.Pod("waiting");
        pending.Spec.NodeSelector = new Dictionary<string, string> { ["disktype"] = "no-such-disk" };
        await client.CoreV1.CreateNamespacedPodAsync(pending, ns);
        using var http = _sim.Http();
        var list = await E2e.GetJsonAsync(http, $"/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods");
        Assert.Equal("PodMetricsList", (string?)list["kind"]);
        Assert.Equal("metrics.k8s.io/v1beta1", (string?)list["apiVersion"]);
        var item = Assert.Single(list["items"]!.AsArray())!;
        Assert.Equal("busy", (string?)item["metadata"]!["name"]);
        Assert.NotNull(item["timestamp"]);
        Assert.NotNull(item["window"]);
        var containers = item["containers"]!.AsArray();
        Assert.Equal(["main", "sidecar"], containers.Select(c => (string)c!["name"]!));
        Assert.All(containers, c =>
        {
            Assert.Matches(@"^\d+(n|u|m)?$", (string?)c!["usage"]!["cpu"]);
            Assert.Matches(@"^\d+(Ki|Mi|Gi)?$", (string?)c["usage"]!["memory"]);
        });
    }
}
