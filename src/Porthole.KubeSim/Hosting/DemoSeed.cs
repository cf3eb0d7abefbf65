using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Server;

namespace Porthole.KubeSim.Hosting;

/// <summary>
/// The `--seed demo` cluster: a few team namespaces, Deployments (run by the workload
/// controllers, not created here as ReplicaSets or pods), a Service, a crash-looping pod, a
/// CustomResourceDefinition with instances, and Events. Everything goes through the create
/// defaulting a client's create would get.
/// </summary>
internal static class DemoSeed
{
    public const string CrdGroup = "demo.kubesim.io";

    public static void Add(KubeSimContext sim, Seeder seeder)
    {
        foreach (var ns in new[] { "team-a", "team-b", "monitoring" })
        {
            seeder.Add(Seeder.Namespace(ns));
        }

        Create(sim, Deployment("default", "web", 3, "nginx:1.27", 80));
        Create(sim, Deployment("team-a", "api", 2, "ghcr.io/example/api:2.4.1", 8080));
        Create(sim, Deployment("team-b", "worker", 2, "busybox:1.36", null));
        Create(sim, Deployment("monitoring", "prometheus", 1, "quay.io/prometheus/prometheus:v2.53.0", 9090));
        Create(sim, Service("default", "web", 80));
        Create(sim, Service("team-a", "api", 8080));
        Create(sim, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "api-settings", ["namespace"] = "team-a" },
            ["data"] = new JsonObject { ["LOG_LEVEL"] = "info", ["FEATURE_FLAGS"] = "search,export" },
        });

        seeder.Add(Seeder.Pod("kube-system", "coredns-1", new Dictionary<string, string> { ["k8s-app"] = "kube-dns" }, ("coredns", "registry.k8s.io/coredns/coredns:v1.11.3")));
        seeder.Add(Seeder.Pod("team-a", "report-generator", new Dictionary<string, string> { ["app"] = "report-generator" }, ("report", "ghcr.io/example/report-crash:0.9.1")));

        var crd = Create(sim, BackupCrd());
        if (crd is not null)
        {
            sim.Controllers.AfterCreate(sim.Registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!, crd);
        }

        foreach (var (ns, name, schedule, target) in new[]
        {
            ("team-a", "nightly", "0 2 * * *", "api-db"),
            ("team-a", "weekly", "0 4 * * 0", "api-db"),
            ("team-b", "hourly", "0 * * * *", "worker-queue"),
        })
        {
            Create(sim, new JsonObject
            {
                ["apiVersion"] = $"{CrdGroup}/v1",
                ["kind"] = "Backup",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                ["spec"] = new JsonObject { ["schedule"] = schedule, ["target"] = target, ["retain"] = 7 },
            });
        }

        var now = sim.Time.GetUtcNow();
        Create(sim, Event("team-a", "nightly", "Backup", $"{CrdGroup}/v1", "Normal", "Completed", "Backup of api-db completed in 42s", now));
        Create(sim, Event("team-b", "hourly", "Backup", $"{CrdGroup}/v1", "Warning", "Retrying", "Backup of worker-queue failed: connection reset; retrying", now));
        Create(sim, Event("default", "web", "Service", "v1", "Normal", "Exposed", "Service web exposes port 80", now));
    }

    /// <summary>Stores an object with the defaulting of a create, unless it exists.</summary>
    private static Storage.StoredObject? Create(KubeSimContext sim, JsonObject obj)
    {
        var type = sim.Registry.FindByKind(obj.Str("apiVersion")!, obj.Str("kind")!) ?? throw new InvalidOperationException($"{obj.Str("kind")} is not served");
        if (sim.Store.Get(type, obj.Namespace(), obj.Name()) is not null)
        {
            return null;
        }

        ObjectRules.PrepareForCreate(type, obj, sim.Time.GetUtcNow(), sim);
        return sim.Store.Create(type, obj);
    }

    private static JsonObject Deployment(string ns, string name, int replicas, string image, int? port)
    {
        var container = new JsonObject { ["name"] = name, ["image"] = image };
        if (port is { } p)
        {
            container["ports"] = new JsonArray(new JsonObject { ["containerPort"] = p, ["protocol"] = "TCP" });
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = name } },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) },
                },
            },
        };
    }

    private static JsonObject Service(string ns, string app, int port) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = app, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = app } },
        ["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["app"] = app },
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = port, ["targetPort"] = port, ["protocol"] = "TCP" }),
        },
    };

    private static JsonObject Event(string ns, string name, string kind, string apiVersion, string type, string reason, string message, DateTimeOffset now)
    {
        var at = ObjectRules.Timestamp(now);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = $"{name}.{Guid.NewGuid():N}"[..(name.Length + 17)], ["namespace"] = ns },
            ["involvedObject"] = new JsonObject { ["kind"] = kind, ["apiVersion"] = apiVersion, ["namespace"] = ns, ["name"] = name },
            ["type"] = type,
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = new JsonObject { ["component"] = "kubesim-demo" },
            ["firstTimestamp"] = at,
            ["lastTimestamp"] = at,
            ["count"] = 1,
            ["reportingComponent"] = "kubesim-demo",
            ["reportingInstance"] = "",
        };
    }

    private static JsonObject BackupCrd() => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = $"backups.{CrdGroup}" },
        ["spec"] = new JsonObject
        {
            ["group"] = CrdGroup,
            ["scope"] = "Namespaced",
            ["names"] = new JsonObject { ["plural"] = "backups", ["singular"] = "backup", ["kind"] = "Backup", ["listKind"] = "BackupList", ["shortNames"] = new JsonArray("bk") },
            ["versions"] = new JsonArray(new JsonObject
            {
                ["name"] = "v1",
                ["served"] = true,
                ["storage"] = true,
                ["additionalPrinterColumns"] = new JsonArray(
                    new JsonObject { ["name"] = "Schedule", ["type"] = "string", ["jsonPath"] = ".spec.schedule" },
                    new JsonObject { ["name"] = "Target", ["type"] = "string", ["jsonPath"] = ".spec.target" },
                    new JsonObject { ["name"] = "Age", ["type"] = "date", ["jsonPath"] = ".metadata.creationTimestamp" }),
                ["schema"] = new JsonObject
                {
                    ["openAPIV3Schema"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["spec"] = new JsonObject
                            {
                                ["type"] = "object",
                                ["properties"] = new JsonObject
                                {
                                    ["schedule"] = new JsonObject { ["type"] = "string" },
                                    ["target"] = new JsonObject { ["type"] = "string" },
                                    ["retain"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
                                },
                            },
                        },
                    },
                },
            }),
        },
    };
}
