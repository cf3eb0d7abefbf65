namespace Porthole.KubeSim.Tests.Kubectl;

/// <summary>Jobs, crash loops and endpoints as an operator sees them with the real kubectl.</summary>
public abstract partial class KubectlScenarioTests
{
    [Fact]
    public async Task CreateJobAndWait_FiniteCommand_CompletesWithLogs()
    {
        var (k, ns) = await SetupAsync("job");
        Assert.Contains("job.batch/hello created", await k.OkAsync("create", "job", "hello", "-n", ns, "--image=busybox:1.36", "--", "sleep", "2"), StringComparison.Ordinal);

        var wait = await k.OkAsync("wait", "--for=condition=complete", "job/hello", "-n", ns, "--timeout=60s");

        Assert.Contains("job.batch/hello condition met", wait, StringComparison.Ordinal);
        Assert.Matches(@"hello\s+Complete\s+1/1", await k.OkAsync("get", "jobs", "-n", ns));
        Assert.Matches(@"hello-\w{5}\s+0/1\s+Completed\s+0", await k.OkAsync("get", "pods", "-n", ns, "-l", "job-name=hello"));
        Assert.NotEmpty((await k.OkAsync("logs", "job/hello", "-n", ns)).Trim());
    }

    [Fact]
    public async Task CrashLoopingPod_EventsAndPreviousLogs_ShowBackOffAndLines()
    {
        var (k, ns) = await SetupAsync("crash");
        await k.OkAsync("run", "crasher", "-n", ns, "--image=example/crash:1");

        var events = await EventuallyAsync(
            () => k.RunAsync("get", "events", "-n", ns),
            r => r.Stdout.Contains("BackOff", StringComparison.Ordinal),
            "BackOff event");
        Assert.Matches(@"Warning\s+BackOff\s+pod/crasher\s+Back-off restarting failed container crasher in pod crasher_", events.Stdout);

        var previous = await k.OkAsync("logs", "crasher", "-n", ns, "--previous");
        Assert.NotEmpty(previous.Trim());
        var pods = await k.OkAsync("get", "pod", "crasher", "-n", ns);
        Assert.Matches(@"crasher\s+0/1\s+(CrashLoopBackOff|Error)\s+[1-9]", pods);
    }

    [Fact]
    public async Task GetEndpoints_ExposedPod_ShowsPodIp()
    {
        var (k, ns) = await SetupAsync("ep");
        await k.OkAsync("run", "web", "-n", ns, "--image=nginx:1.27", "--labels=app=web", "--port=8080");
        await k.OkAsync("expose", "pod", "web", "-n", ns, "--port=80", "--target-port=8080", "--name=web");
        await WaitRunningAsync(k, ns, "web");
        var ip = (await k.OkAsync("get", "pod", "web", "-n", ns, "-o", "jsonpath={.status.podIP}")).Trim();

        var endpoints = await EventuallyAsync(
            () => k.RunAsync("get", "endpoints", "web", "-n", ns),
            r => r.Stdout.Contains($"{ip}:8080", StringComparison.Ordinal),
            "endpoints with the pod IP");

        Assert.Matches($@"web\s+{ip.Replace(".", "\\.", StringComparison.Ordinal)}:8080", endpoints.Stdout);
        var slices = await k.OkAsync("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=web");
        Assert.Matches($@"web-\w{{5}}\s+IPv4\s+8080\s+{ip.Replace(".", "\\.", StringComparison.Ordinal)}", slices);
    }
}
