using System.Globalization;
using Porthole.KubeSim.Kubelet;
using Porthole.KubeSim.Security;

namespace Porthole.KubeSim.Hosting;

public sealed partial class SimServer
{
    /// <summary>
    /// Start-up state: namespaces, RBAC policy and nodes always; with the demo seed a few
    /// ordinary pods; with --pods N that many more in namespace "load".
    /// </summary>
    private static void Seed(Server.KubeSimContext sim)
    {
        BootstrapPolicy.Seed(sim.Store, sim.Registry);
        var seeder = new Seeder(sim.Store, sim.Registry, sim.Time);
        foreach (var node in SimNodes.Create(sim.Options.Nodes, sim.Time.GetUtcNow()))
        {
            seeder.Add(node);
        }

        seeder.Add(KubernetesService());
        if (sim.Options.Seed == "demo")
        {
            var web = new Dictionary<string, string> { ["app"] = "web" };
            seeder.Add(Seeder.Pod("default", "web-1", web, ("nginx", "nginx:1.27")));
            seeder.Add(Seeder.Pod("default", "web-2", web, ("nginx", "nginx:1.27"), ("log-shipper", "busybox:1.36")));
            seeder.Add(Seeder.Pod("team-a", "api-1", new Dictionary<string, string> { ["app"] = "api" }, ("api", "ghcr.io/example/api:2.4.1")));
            seeder.Add(Seeder.Pod("kube-system", "coredns-1", new Dictionary<string, string> { ["k8s-app"] = "kube-dns" }, ("coredns", "registry.k8s.io/coredns/coredns:v1.11.3")));
        }

        if (sim.Options.Pods > 0)
        {
            seeder.Add(Seeder.Namespace("load"));
            var labels = new Dictionary<string, string> { ["app"] = "load" };
            for (var i = 0; i < sim.Options.Pods; i++)
            {
                seeder.Add(Seeder.Pod("load", "load-" + i.ToString("D6", CultureInfo.InvariantCulture), labels, ("app", "nginx:1.27")));
            }
        }
    }

    /// <summary>The default/kubernetes Service every cluster has, pointing at the API server.</summary>
    private static System.Text.Json.Nodes.JsonObject KubernetesService() => new()
    {
        ["kind"] = "Service",
        ["apiVersion"] = "v1",
        ["metadata"] = new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = "kubernetes",
            ["namespace"] = "default",
            ["labels"] = new System.Text.Json.Nodes.JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
        },
        ["spec"] = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "ClusterIP",
            ["clusterIP"] = "10.96.0.1",
            ["clusterIPs"] = new System.Text.Json.Nodes.JsonArray("10.96.0.1"),
            ["ipFamilies"] = new System.Text.Json.Nodes.JsonArray("IPv4"),
            ["ipFamilyPolicy"] = "SingleStack",
            ["internalTrafficPolicy"] = "Cluster",
            ["sessionAffinity"] = "None",
            ["ports"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = "https",
                ["port"] = 443,
                ["protocol"] = "TCP",
                ["targetPort"] = 6443,
            }),
        },
        ["status"] = new System.Text.Json.Nodes.JsonObject { ["loadBalancer"] = new System.Text.Json.Nodes.JsonObject() },
    };
}
