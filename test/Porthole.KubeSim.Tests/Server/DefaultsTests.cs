using k8s;
using k8s.Models;

namespace Porthole.KubeSim.Tests.Server;

public sealed class DefaultsTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public DefaultsTests(SimFixture sim)
    {
        _sim = sim;
    }

    [Fact]
    public async Task CreateDeployment_EmptyStrategy_DefaultsRollingUpdateButNotPodAdmission()
    {
        using var client = _sim.Client();
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "defaulted" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "d" } },
                Strategy = new V1DeploymentStrategy(),
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "d" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx" }] },
                },
            },
        }, "default");
        Assert.Equal(1, created.Spec.Replicas);
        Assert.Equal("RollingUpdate", created.Spec.Strategy.Type);
        Assert.Equal("25%", created.Spec.Strategy.RollingUpdate.MaxSurge.Value);
        var pod = created.Spec.Template.Spec;
        Assert.Equal("Always", pod.Containers[0].ImagePullPolicy);
        Assert.Equal("ClusterFirst", pod.DnsPolicy);
        Assert.Null(pod.ServiceAccountName);
        Assert.Null(pod.Tolerations);
    }

    [Fact]
    public async Task CreatePod_GetsAdmissionDefaults()
    {
        using var client = _sim.Client();
        var created = await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "admitted" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
        }, "default");
        Assert.Equal("default", created.Spec.ServiceAccountName);
        Assert.Equal("IfNotPresent", created.Spec.Containers[0].ImagePullPolicy);
        Assert.Contains(created.Spec.Tolerations, t => t.Key == "node.kubernetes.io/not-ready" && t.TolerationSeconds == 300);
        Assert.Equal("Pending", created.Status.Phase);
        Assert.Equal("BestEffort", created.Status.QosClass);
    }

    [Fact]
    public async Task CreateConfigMap_HasNoGeneration()
    {
        using var client = _sim.Client();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "no-generation" } }, "default");
        Assert.Null(created.Metadata.Generation);
    }

    [Fact]
    public async Task CreateService_AllocatesClusterIpAndDefaultsPorts()
    {
        using var client = _sim.Client();
        var created = await client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, Ports = [new V1ServicePort { Port = 80 }] },
        }, "default");
        Assert.Equal("ClusterIP", created.Spec.Type);
        Assert.StartsWith("10.96.", created.Spec.ClusterIP, StringComparison.Ordinal);
        Assert.Equal("TCP", created.Spec.Ports[0].Protocol);
        Assert.Equal("80", created.Spec.Ports[0].TargetPort.Value);
    }
}
