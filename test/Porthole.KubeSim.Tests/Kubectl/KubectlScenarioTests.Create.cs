using System.Text;
using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Tests.Kubectl;

/// <summary>kubectl create for each kind an operator makes by hand, and what the cluster stored.</summary>
public abstract partial class KubectlScenarioTests
{
    [Fact]
    public async Task CreateConfigAndAccess_EachKind_StoredAsKubectlBuiltIt()
    {
        var k = Kubectl();
        var ns = $"{Prefix}-create";
        Assert.Equal($"namespace/{ns} created", (await k.OkAsync("create", "namespace", ns)).Trim());
        var nsObj = await GetJsonAsync(k, "get", "namespace", ns);
        Assert.Equal("Active", (string?)nsObj["status"]!["phase"]);
        Assert.Equal(ns, (string?)nsObj["metadata"]!["labels"]!["kubernetes.io/metadata.name"]);

        Assert.Equal("configmap/settings created", (await k.OkAsync("create", "configmap", "settings", "-n", ns, "--from-literal=color=blue", "--from-literal=size=L")).Trim());
        var cm = await GetJsonAsync(k, "get", "configmap", "settings", "-n", ns);
        AssertJson("""{"color":"blue","size":"L"}""", cm["data"]!);

        Assert.Equal("secret/db created", (await k.OkAsync("create", "secret", "generic", "db", "-n", ns, "--from-literal=password=s3cret")).Trim());
        var secret = await GetJsonAsync(k, "get", "secret", "db", "-n", ns);
        Assert.Equal("Opaque", (string?)secret["type"]);
        Assert.Equal("s3cret", Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]!["password"]!)));
        Assert.Equal("secret/registry created", (await k.OkAsync("create", "secret", "docker-registry", "registry", "-n", ns, "--docker-server=registry.example", "--docker-username=ci", "--docker-password=pw")).Trim());
        var registry = await GetJsonAsync(k, "get", "secret", "registry", "-n", ns);
        Assert.Equal("kubernetes.io/dockerconfigjson", (string?)registry["type"]);
        var dockerConfig = JsonNode.Parse(Convert.FromBase64String((string)registry["data"]![".dockerconfigjson"]!))!;
        Assert.Equal("ci", (string?)dockerConfig["auths"]!["registry.example"]!["username"]);

        Assert.Equal("serviceaccount/builder created", (await k.OkAsync("create", "serviceaccount", "builder", "-n", ns)).Trim());
        Assert.Matches(@"^[0-9a-f-]{36}$", (string?)(await GetJsonAsync(k, "get", "sa", "builder", "-n", ns))["metadata"]!["uid"]);

        Assert.Equal("role.rbac.authorization.k8s.io/pod-reader created", (await k.OkAsync("create", "role", "pod-reader", "-n", ns, "--verb=get,list,watch", "--resource=pods,pods/log")).Trim());
        var role = await GetJsonAsync(k, "get", "role", "pod-reader", "-n", ns);
        AssertJson("""[{"apiGroups":[""],"resources":["pods","pods/log"],"verbs":["get","list","watch"]}]""", role["rules"]!);
        Assert.Equal("rolebinding.rbac.authorization.k8s.io/builder-reads created", (await k.OkAsync("create", "rolebinding", "builder-reads", "-n", ns, "--role=pod-reader", $"--serviceaccount={ns}:builder")).Trim());
        var binding = await GetJsonAsync(k, "get", "rolebinding", "builder-reads", "-n", ns);
        AssertJson("""{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"pod-reader"}""", binding["roleRef"]!);
        AssertJson($$"""[{"kind":"ServiceAccount","name":"builder","namespace":"{{ns}}"}]""", binding["subjects"]!);

        // The binding is in force: the service account may read pods there, and nothing more.
        var sa = $"system:serviceaccount:{ns}:builder";
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "get", "pods/log", "--as", sa, "-n", ns)).Stdout.Trim());
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "delete", "pods", "--as", sa, "-n", ns)).Stdout.Trim());
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "get", "pods", "--as", sa, "-n", "default")).Stdout.Trim());

        var existing = await k.RunAsync("create", "configmap", "settings", "-n", ns);
        Assert.Equal(1, existing.ExitCode);
        Assert.Equal("error: failed to create configmap: configmaps \"settings\" already exists", existing.Stderr.Trim());
    }

    [Fact]
    public async Task CreateWorkloads_DeploymentJobCronJob_DefaultedAndRun()
    {
        var (k, ns) = await SetupAsync("create-workloads");
        Assert.Equal("deployment.apps/web created", (await k.OkAsync("create", "deployment", "web", "-n", ns, "--image=nginx:1.27", "--replicas=2", "--port=8080")).Trim());
        Assert.Equal("job.batch/once created", (await k.OkAsync("create", "job", "once", "-n", ns, "--image=busybox:1.36", "--", "echo", "done")).Trim());
        Assert.Equal("cronjob.batch/nightly created", (await k.OkAsync("create", "cronjob", "nightly", "-n", ns, "--image=busybox:1.36", "--schedule=0 3 * * *", "--", "echo", "nightly")).Trim());
        Assert.Equal("job.batch/manual created", (await k.OkAsync("create", "job", "manual", "-n", ns, "--from=cronjob/nightly")).Trim());

        await RolledOutAsync(k, ns, "web");
        var deployment = await GetJsonAsync(k, "get", "deployment", "web", "-n", ns);
        Assert.Equal(2, (int?)deployment["spec"]!["replicas"]);
        AssertJson("""{"app":"web"}""", deployment["spec"]!["selector"]!["matchLabels"]!);
        Assert.Equal("RollingUpdate", (string?)deployment["spec"]!["strategy"]!["type"]);
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("nginx:1.27", (string?)container["image"]);
        AssertJson("""[{"containerPort":8080,"protocol":"TCP"}]""", container["ports"]!);
        Assert.Equal(2, (int?)deployment["status"]!["readyReplicas"]);
        Assert.Equal("service/web exposed", (await k.OkAsync("expose", "deployment", "web", "-n", ns, "--port=80", "--target-port=8080")).Trim());
        AssertJson("""{"app":"web"}""", (await GetJsonAsync(k, "get", "service", "web", "-n", ns))["spec"]!["selector"]);
        await EventuallyAsync(
            () => k.RunAsync("get", "endpoints", "web", "-n", ns, "-o", "jsonpath={.subsets[*].addresses[*].ip}"),
            r => r.Stdout.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 2,
            "both deployment pods behind the exposed service");

        foreach (var job in new[] { "once", "manual" })
        {
            var wait = await k.RunAsync(["wait", "--for=condition=complete", $"job/{job}", "-n", ns, "--timeout=90s"], timeout: TimeSpan.FromSeconds(120));
            Assert.True(wait.ExitCode == 0, wait.ToString());
        }

        var once = await GetJsonAsync(k, "get", "job", "once", "-n", ns);
        Assert.Equal("Never", (string?)once["spec"]!["template"]!["spec"]!["restartPolicy"]);
        Assert.Equal(6, (int?)once["spec"]!["backoffLimit"]);
        Assert.Equal(1, (int?)once["status"]!["succeeded"]);

        var cron = await GetJsonAsync(k, "get", "cronjob", "nightly", "-n", ns);
        Assert.Equal("0 3 * * *", (string?)cron["spec"]!["schedule"]);
        Assert.Equal("Allow", (string?)cron["spec"]!["concurrencyPolicy"]);
        Assert.Equal(false, (bool?)cron["spec"]!["suspend"]);
        Assert.Equal(3, (int?)cron["spec"]!["successfulJobsHistoryLimit"]);
        Assert.Equal(1, (int?)cron["spec"]!["failedJobsHistoryLimit"]);
        Assert.Equal("OnFailure", (string?)cron["spec"]!["jobTemplate"]!["spec"]!["template"]!["spec"]!["restartPolicy"]);
        Assert.Matches(@"Concurrency Policy:\s+Allow", await k.OkAsync("describe", "cronjob", "nightly", "-n", ns));

        var manual = await GetJsonAsync(k, "get", "job", "manual", "-n", ns);
        Assert.Equal("manual", (string?)manual["metadata"]!["annotations"]!["cronjob.kubernetes.io/instantiate"]);
        var owner = manual["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal(("CronJob", "nightly", (string?)cron["metadata"]!["uid"]), ((string?)owner["kind"], (string?)owner["name"], (string?)owner["uid"]));
        Assert.Equal("nightly", (await k.OkAsync("logs", "job/manual", "-n", ns)).Trim());
    }

    [Fact]
    public async Task CreateServices_EachType_AllocatedAndSelected()
    {
        var (k, ns) = await SetupAsync("create-svc");
        Assert.Equal("service/api created", (await k.OkAsync("create", "service", "clusterip", "api", "-n", ns, "--tcp=80:8080")).Trim());
        Assert.Equal("service/api-np created", (await k.OkAsync("create", "service", "nodeport", "api-np", "-n", ns, "--tcp=80:8080")).Trim());
        Assert.Equal("service/api-lb created", (await k.OkAsync("create", "service", "loadbalancer", "api-lb", "-n", ns, "--tcp=443:8443")).Trim());
        Assert.Equal("service/docs created", (await k.OkAsync("create", "service", "externalname", "docs", "-n", ns, "--external-name=docs.example.com")).Trim());

        var api = await GetJsonAsync(k, "get", "service", "api", "-n", ns);
        Assert.Equal("ClusterIP", (string?)api["spec"]!["type"]);
        Assert.StartsWith("10.96.", (string?)api["spec"]!["clusterIP"], StringComparison.Ordinal);
        AssertJson("""{"app":"api"}""", api["spec"]!["selector"]!);
        AssertJson("""[{"name":"80-8080","port":80,"protocol":"TCP","targetPort":8080}]""", api["spec"]!["ports"]!);

        var nodePort = await GetJsonAsync(k, "get", "service", "api-np", "-n", ns);
        Assert.InRange((int)nodePort["spec"]!["ports"]![0]!["nodePort"]!, 30000, 32767);
        Assert.Equal("Cluster", (string?)nodePort["spec"]!["externalTrafficPolicy"]);
        var balanced = await GetJsonAsync(k, "get", "service", "api-lb", "-n", ns);
        Assert.Equal("LoadBalancer", (string?)balanced["spec"]!["type"]);
        Assert.Matches(@"api-lb\s+LoadBalancer\s+10\.96\.\S+\s+<pending>\s+443:3\d{4}/TCP", await k.OkAsync("get", "service", "api-lb", "-n", ns));
        var external = await GetJsonAsync(k, "get", "service", "docs", "-n", ns);
        Assert.Equal(("ExternalName", "docs.example.com"), ((string?)external["spec"]!["type"], (string?)external["spec"]!["externalName"]));
        Assert.Null(external["spec"]!["clusterIP"]);
    }

    [Fact]
    public async Task CreateQuotaAndBudget_CountedAndEnforced()
    {
        var (k, ns) = await SetupAsync("create-policy");
        Assert.Equal("resourcequota/limits created", (await k.OkAsync("create", "quota", "limits", "-n", ns, "--hard=pods=2,configmaps=5,services=3")).Trim());
        Assert.Equal("deployment.apps/web created", (await k.OkAsync("create", "deployment", "web", "-n", ns, "--image=nginx:1.27", "--replicas=2")).Trim());
        Assert.Equal("poddisruptionbudget.policy/web created", (await k.OkAsync("create", "pdb", "web", "-n", ns, "--selector=app=web", "--min-available=1")).Trim());
        await RolledOutAsync(k, ns, "web");

        var quota = await EventuallyAsync(
            () => GetJsonAsync(k, "get", "quota", "limits", "-n", ns),
            q => (string?)q["status"]?["used"]?["pods"] == "2",
            "quota counts the two pods");
        AssertJson("""{"configmaps":"5","pods":"2","services":"3"}""", quota["status"]!["hard"]!);
        AssertJson("""{"configmaps":"0","pods":"2","services":"0"}""", quota["status"]!["used"]!);
        var describe = await k.OkAsync("describe", "quota", "limits", "-n", ns);
        Assert.Matches(@"Resource\s+Used\s+Hard", describe);
        Assert.Matches(@"pods\s+2\s+2", describe);

        // A third pod is over the quota: the API server refuses it and the Deployment stays short.
        var third = await k.RunAsync("run", "extra", "-n", ns, "--image=nginx:1.27");
        Assert.Equal(1, third.ExitCode);
        Assert.Equal("Error from server (Forbidden): pods \"extra\" is forbidden: exceeded quota: limits, requested: pods=1, used: pods=2, limited: pods=2", third.Stderr.Trim());
        Assert.Equal("", (await k.OkAsync("get", "pods", "extra", "-n", ns, "--ignore-not-found", "-o", "name")).Trim());

        var budget = await EventuallyAsync(
            () => GetJsonAsync(k, "get", "pdb", "web", "-n", ns),
            b => (int?)b["status"]?["expectedPods"] == 2 && (int?)b["status"]?["disruptionsAllowed"] == 1,
            "budget sees both pods");
        Assert.Equal(1, (int?)budget["spec"]!["minAvailable"]);
        AssertJson("""{"matchLabels":{"app":"web"}}""", budget["spec"]!["selector"]!);
        Assert.Equal(2, (int?)budget["status"]!["currentHealthy"]);
        Assert.Equal(1, (int?)budget["status"]!["desiredHealthy"]);
    }
}
