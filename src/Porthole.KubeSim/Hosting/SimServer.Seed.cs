using Porthole.KubeSim.Kubelet;
using Porthole.KubeSim.Security;

namespace Porthole.KubeSim.Hosting;

public sealed partial class SimServer
{
    /// <summary>
    /// Start-up state: namespaces, RBAC policy and nodes always; with the demo seed team
    /// namespaces, Deployments, a crash-looping pod, a CRD with instances and events (DemoSeed);
    /// with --pods N that many more pods in namespace "load" (LoadSeed).
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
            DemoSeed.Add(sim, seeder);
        }

        if (sim.Options.Pods > 0)
        {
            LoadSeed.AddPods(sim.Store, sim.Registry, seeder, sim.Options.Pods);
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
