namespace Porthole.KubeSim.Tests.Kubectl;

public abstract partial class KubectlScenarioTests
{
    private static async Task RolledOutAsync(KubectlRunner k, string ns, string deployment)
    {
        var result = await k.RunAsync(["rollout", "status", $"deployment/{deployment}", "-n", ns, "--timeout=120s"], timeout: TimeSpan.FromSeconds(150));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"deployment \"{deployment}\" successfully rolled out", result.Stdout, StringComparison.Ordinal);
    }

    private static async Task<string[]> NamesAsync(KubectlRunner k, string ns, string kinds) =>
        (await k.OkAsync("get", kinds, "-n", ns, "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task Rollout_CreateScaleSetImageUndoRestartDelete_BehavesLikeARealCluster()
    {
        var (k, ns) = await SetupAsync("rollout");
        Assert.Contains("deployment.apps/web created", await k.OkAsync("create", "deployment", "web", "--image=nginx:1.26", "--replicas=2", "-n", ns), StringComparison.Ordinal);
        await RolledOutAsync(k, ns, "web");

        Assert.Contains("deployment.apps/web scaled", await k.OkAsync("scale", "deployment", "web", "--replicas=3", "-n", ns), StringComparison.Ordinal);
        await RolledOutAsync(k, ns, "web");
        Assert.Matches(@"web\s+3/3\s+3\s+3", await k.OkAsync("get", "deployment", "web", "-n", ns));

        Assert.Contains("deployment.apps/web image updated", await k.OkAsync("set", "image", "deployment/web", "nginx=nginx:1.27", "-n", ns), StringComparison.Ordinal);
        await RolledOutAsync(k, ns, "web");
        var history = await k.OkAsync("rollout", "history", "deployment/web", "-n", ns);
        Assert.Contains("REVISION", history, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^1\s", history);
        Assert.Matches(@"(?m)^2\s", history);
        var sets = await k.OkAsync("get", "rs", "-n", ns, "--no-headers");
        Assert.Matches(@"web-\w+\s+3\s+3\s+3", sets);
        Assert.Matches(@"web-\w+\s+0\s+0\s+0", sets);

        Assert.Contains("deployment.apps/web rolled back", await k.OkAsync("rollout", "undo", "deployment/web", "-n", ns), StringComparison.Ordinal);
        await RolledOutAsync(k, ns, "web");
        Assert.Equal("nginx:1.26", (await k.OkAsync("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}")).Trim());
        await EventuallyAsync(
            () => k.RunAsync("get", "pods", "-n", ns, "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}"),
            r => r.Stdout.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 3 } images && images.All(i => i == "nginx:1.26"),
            "pods back on the old image");
        var undone = await k.OkAsync("rollout", "history", "deployment/web", "-n", ns);
        Assert.Matches(@"(?m)^3\s", undone);
        Assert.DoesNotMatch(@"(?m)^1\s", undone);
        Assert.Equal(2, (await NamesAsync(k, ns, "rs")).Length);

        Assert.Contains("deployment.apps/web restarted", await k.OkAsync("rollout", "restart", "deployment/web", "-n", ns), StringComparison.Ordinal);
        await RolledOutAsync(k, ns, "web");
        Assert.Equal(3, (await NamesAsync(k, ns, "rs")).Length);
        Assert.Contains("kubectl.kubernetes.io/restartedAt", await k.OkAsync("get", "rs", "-n", ns, "-o", "yaml"), StringComparison.Ordinal);
        var describe = await k.OkAsync("describe", "deployment", "web", "-n", ns);
        Assert.Contains("ScalingReplicaSet", describe, StringComparison.Ordinal);
        Assert.Matches(@"Progressing\s+True\s+NewReplicaSetAvailable", describe);

        Assert.Contains("deployment.apps \"web\" deleted", await k.OkAsync("delete", "deployment", "web", "-n", ns), StringComparison.Ordinal);
        await EventuallyAsync(() => NamesAsync(k, ns, "rs,pods"), names => names.Length == 0, "replicasets and pods gone");
    }

    [Fact]
    public async Task RolloutStatus_StatefulSetAndDaemonSet_ReportComplete()
    {
        var (k, ns) = await SetupAsync("sets");
        var file = await WriteAsync(Manifest("""
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: db
              namespace: NS
            spec:
              replicas: 2
              serviceName: db
              selector:
                matchLabels: {app: db}
              template:
                metadata:
                  labels: {app: db}
                spec:
                  containers:
                  - name: db
                    image: postgres:17
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: agent
              namespace: NS
            spec:
              selector:
                matchLabels: {app: agent}
              template:
                metadata:
                  labels: {app: agent}
                spec:
                  containers:
                  - name: agent
                    image: fluent-bit:3
            """, ns));
        await k.OkAsync("create", "-f", file);
        var sts = await k.RunAsync(["rollout", "status", "statefulset/db", "-n", ns, "--timeout=120s"], timeout: TimeSpan.FromSeconds(150));
        Assert.True(sts.ExitCode == 0, sts.ToString());
        Assert.Contains("partitioned roll out complete: 2 new pods have been updated...", sts.Stdout, StringComparison.Ordinal);
        var ds = await k.RunAsync(["rollout", "status", "daemonset/agent", "-n", ns, "--timeout=120s"], timeout: TimeSpan.FromSeconds(150));
        Assert.True(ds.ExitCode == 0, ds.ToString());
        Assert.Contains("daemon set \"agent\" successfully rolled out", ds.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"db-0\s+1/1\s+Running", await k.OkAsync("get", "pods", "-n", ns));
    }
}
