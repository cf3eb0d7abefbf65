using System.Globalization;
using System.Text.RegularExpressions;

namespace Porthole.KubeSim.Tests.Kubectl;

public abstract partial class KubectlSmokeTests
{
    [Fact]
    public async Task Logs_TailAndFollowSince_StreamSequencedLines()
    {
        var (k, ns) = await SetupAsync("logs");
        await k.OkAsync("create", "-f", await WriteAsync(Manifest(PodYaml, ns)));
        await WaitRunningAsync(k, ns, "web");
        var logs = await EventuallyAsync(() => k.RunAsync("logs", "web", "-n", ns, "--tail=5"), r => r.ExitCode == 0 && r.Stdout.Contains("seq=", StringComparison.Ordinal), "first log lines");
        Assert.InRange(logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, 1, 5);

        var follow = await k.RunAsync(["logs", "-f", "--since=1h", "web", "-n", ns], stopWhen: text => Regex.Matches(text, "seq=").Count >= 3, timeout: TimeSpan.FromSeconds(60));
        var seqs = Regex.Matches(follow.Stdout, @"seq=(\d+)").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.True(seqs.Count >= 3, follow.ToString());
        Assert.Equal(Enumerable.Range(seqs[0], seqs.Count), seqs);
        Assert.Equal("0", (await k.OkAsync("get", "pod", "web", "-n", ns, "-o", "jsonpath={.status.containerStatuses[0].restartCount}")).Trim());
    }

    [Fact]
    public async Task Exec_CommandAndPipedStdin_RunInTheContainer()
    {
        var (k, ns) = await SetupAsync("exec");
        await k.OkAsync("create", "-f", await WriteAsync(Manifest(PodYaml, ns)));
        await WaitRunningAsync(k, ns, "web");
        Assert.Equal("hello from web", (await k.OkAsync("exec", "web", "-n", ns, "--", "echo", "hello", "from", "web")).Trim());
        Assert.Equal("web", (await k.OkAsync("exec", "web", "-n", ns, "--", "sh", "-c", "echo $HOSTNAME")).Trim());
        var piped = await k.RunAsync(["exec", "-i", "web", "-n", ns, "--", "sh", "-c", "tr a-z A-Z > upper.txt; cat upper.txt"], stdin: "piped through\n");
        Assert.True(piped.ExitCode == 0, piped.ToString());
        Assert.Equal("PIPED THROUGH", piped.Stdout.Trim());
        var failed = await k.RunAsync("exec", "web", "-n", ns, "--", "sh", "-c", "exit 3");
        Assert.Equal(3, failed.ExitCode);
        Assert.Contains("command terminated with exit code 3", failed.Stderr, StringComparison.Ordinal);

        // What the first exec wrote is still in the container; the pod kept running throughout.
        Assert.Equal("PIPED THROUGH", (await k.OkAsync("exec", "web", "-n", ns, "--", "cat", "upper.txt")).Trim());
        var pod = await GetJsonAsync(k, "get", "pod", "web", "-n", ns);
        Assert.Equal("Running", (string?)pod["status"]!["phase"]);
        Assert.Equal(0, (int?)pod["status"]!["containerStatuses"]![0]!["restartCount"]);
    }

    [Fact]
    public async Task RunRemoveInteractive_ShellOnPipedStdin_RunsItThenEndsWithItsExitCode()
    {
        var (k, ns) = await SetupAsync("run-i");

        // The shell is the container's main process: it reads what is piped in, its exit code is
        // the container's and kubectl's, and --rm deletes the pod once it terminated.
        var failed = await k.RunAsync(["run", "once", "-n", ns, "--rm", "-i", "--restart=Never", "--image=busybox", "--", "sh"], stdin: "echo from stdin; exit 3\n", timeout: TimeSpan.FromSeconds(90));
        Assert.True(failed.ExitCode == 3, failed.ToString());
        Assert.Contains("from stdin", failed.Stdout, StringComparison.Ordinal);
        Assert.Contains("pod \"once\" deleted", failed.Stdout, StringComparison.Ordinal);
        Assert.Contains($"pod {ns}/once terminated (Error)", failed.Stderr, StringComparison.Ordinal);

        // busybox without a command runs sh; a clean end of input ends it with 0.
        var ok = await k.RunAsync(["run", "twice", "-n", ns, "--rm", "-i", "--restart=Never", "--image=busybox"], stdin: "echo $HOSTNAME\n", timeout: TimeSpan.FromSeconds(90));
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("twice", ok.Stdout, StringComparison.Ordinal);
        await EventuallyAsync(() => k.RunAsync("get", "pods", "-n", ns, "-o", "name"), r => r.ExitCode == 0 && r.Stdout.Trim().Length == 0, "both pods deleted");
    }

    [Fact]
    public async Task RunInteractive_KeptPod_TerminatesWithTheShellsCode()
    {
        var (k, ns) = await SetupAsync("run-kept");
        var run = await k.RunAsync(["run", "kept", "-n", ns, "-i", "--restart=Never", "--image=busybox", "--", "sh"], stdin: "echo kept; exit 0\n", timeout: TimeSpan.FromSeconds(90));
        Assert.True(run.ExitCode == 0, run.ToString());
        var pod = await EventuallyAsync(() => GetJsonAsync(k, "get", "pod", "kept", "-n", ns), p => (string?)p["status"]!["phase"] == "Succeeded", "pod succeeded");
        Assert.Equal(0, (int?)pod["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!["exitCode"]);
        Assert.Equal("Completed", (string?)pod["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!["reason"]);
    }

    [Fact]
    public async Task AuthCanI_ForEachUserAndWithAs_AnswersFromRbac()
    {
        var k = Kubectl();
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "delete", "pods", "-A")).Stdout.Trim());
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "list", "pods", "--context", "sim-viewer", "-n", "default")).Stdout.Trim());
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "delete", "pods", "--context", "sim-viewer", "-n", "default")).Stdout.Trim());
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "create", "pods/exec", "--context", "sim-dev", "-n", "team-a")).Stdout.Trim());
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "create", "pods", "--context", "sim-dev", "-n", "default")).Stdout.Trim());
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "impersonate", "users", "--context", "sim-porthole")).Stdout.Trim());
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "delete", "pods", "--as", "sim-viewer", "-n", "default")).Stdout.Trim());
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "get", "pods", "--as", "sim-viewer", "--as-group", "system:authenticated", "-n", "default")).Stdout.Trim());
        // What Porthole's hub asks before a user joins a shared watch: list and watch, namespaced or cluster-wide.
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "watch", "configmaps", "--as", "sim-dev", "--as-group", "system:authenticated", "-n", "team-a")).Stdout.Trim());
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "list", "configmaps", "--as", "sim-dev", "--as-group", "system:authenticated", "-n", "default")).Stdout.Trim());
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "watch", "configmaps", "--as", "sim-dev", "--as-group", "system:authenticated", "-A")).Stdout.Trim());
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "watch", "configmaps", "--as", "sim-viewer", "-A")).Stdout.Trim());
    }

    [Fact]
    public async Task AuthCanI_RoleBindingCreatedThenDeleted_AnswerFollowsTheCluster()
    {
        var (k, ns) = await SetupAsync("can-i");
        var user = $"{Prefix}-reader";
        var denied = await k.RunAsync("auth", "can-i", "list", "secrets", "--as", user, "-n", ns);
        Assert.Equal(("no", 1), (denied.Stdout.Trim(), denied.ExitCode));

        await k.OkAsync("create", "role", "secret-reader", "-n", ns, "--verb=get,list", "--resource=secrets");
        await k.OkAsync("create", "rolebinding", "secret-reader", "-n", ns, "--role=secret-reader", "--user", user);
        var allowed = await k.RunAsync("auth", "can-i", "list", "secrets", "--as", user, "-n", ns);
        Assert.Equal(("yes", 0), (allowed.Stdout.Trim(), allowed.ExitCode));
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "delete", "secrets", "--as", user, "-n", ns)).Stdout.Trim());
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "list", "secrets", "--as", user, "-n", "default")).Stdout.Trim());

        await k.OkAsync("delete", "rolebinding", "secret-reader", "-n", ns);
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "list", "secrets", "--as", user, "-n", ns)).Stdout.Trim());
        Assert.Equal("role.rbac.authorization.k8s.io/secret-reader", (await k.OkAsync("get", "role,rolebinding", "-n", ns, "-o", "name")).Trim());
    }
}
