namespace Porthole.KubeSim.Tests.Kubectl;

/// <summary>Jobs, crash loops and endpoints as an operator sees them with the real kubectl.</summary>
public abstract partial class KubectlScenarioTests
{
    [Fact]
    public async Task CreateJobAndWait_FiniteCommand_CompletesWithLogs()
    {
        var (k, ns) = await SetupAsync("job");
        Assert.Contains("job.batch/hello created", await k.OkAsync("create", "job", "hello", "-n", ns, "--image=busybox:1.36", "--", "sh", "-c", "echo started; sleep 2; echo finished"), StringComparison.Ordinal);

        var wait = await k.OkAsync("wait", "--for=condition=complete", "job/hello", "-n", ns, "--timeout=60s");

        Assert.Contains("job.batch/hello condition met", wait, StringComparison.Ordinal);
        Assert.Matches(@"hello\s+Complete\s+1/1", await k.OkAsync("get", "jobs", "-n", ns));
        Assert.Matches(@"hello-\w{5}\s+0/1\s+Completed\s+0", await k.OkAsync("get", "pods", "-n", ns, "-l", "job-name=hello"));
        Assert.Equal("started\nfinished\n", await k.OkAsync("logs", "job/hello", "-n", ns));
        var job = await GetJsonAsync(k, "get", "job", "hello", "-n", ns);
        Assert.Equal(1, (int?)job["status"]!["succeeded"]);
        Assert.NotNull(job["status"]!["completionTime"]);
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
        Assert.Equal("pod/web created", (await k.OkAsync("run", "web", "-n", ns, "--image=nginx:1.27", "--labels=app=web,tier=front", "--port=8080", "--env=MODE=demo")).Trim());
        Assert.Equal("service/web exposed", (await k.OkAsync("expose", "pod", "web", "-n", ns, "--port=80", "--target-port=8080", "--name=web")).Trim());
        await WaitRunningAsync(k, ns, "web");
        var pod = await GetJsonAsync(k, "get", "pod", "web", "-n", ns);
        AssertJson("""{"app":"web","tier":"front"}""", pod["metadata"]!["labels"]);
        var container = pod["spec"]!["containers"]![0]!;
        Assert.Equal(("web", "nginx:1.27"), ((string?)container["name"], (string?)container["image"]));
        AssertJson("""[{"containerPort":8080,"protocol":"TCP"}]""", container["ports"]);
        AssertJson("""[{"name":"MODE","value":"demo"}]""", container["env"]);
        Assert.Equal("Always", (string?)pod["spec"]!["restartPolicy"]);
        var service = await GetJsonAsync(k, "get", "service", "web", "-n", ns);
        AssertJson("""{"app":"web","tier":"front"}""", service["spec"]!["selector"]);
        AssertJson("""[{"port":80,"protocol":"TCP","targetPort":8080}]""", service["spec"]!["ports"]);
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
