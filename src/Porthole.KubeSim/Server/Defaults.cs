using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Server;

/// <summary>
/// The defaulting the API server applies on create, for the kinds where clients notice it
/// (pods, services, namespaces, workloads), so `kubectl get -o yaml` shows what a real cluster shows.
/// </summary>
internal static class Defaults
{
    public static void Apply(ResourceType type, JsonObject obj, DateTimeOffset now, KubeSimContext sim)
    {
        switch (type.Group, type.Plural)
        {
            case ("", "pods"):
                PodSpec(obj.Obj("spec") ?? throw ApiException.Invalid(type, obj.Name(), ("spec.containers", "FieldValueRequired", "Required value")));
                PodAdmission(obj.Obj("spec")!);
                RequireContainers(type, obj, obj.Obj("spec")!);
                obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = QosClass(obj.Obj("spec")!) };
                break;
            case ("", "namespaces"):
                var meta = obj.Metadata();
                var labels = meta.Obj("labels") ?? new JsonObject();
                labels["kubernetes.io/metadata.name"] = obj.Name();
                meta["labels"] = labels;
                obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case ("", "services"):
                Service(obj, sim);
                break;
            case ("", "serviceaccounts"):
            case ("", "configmaps"):
                break;
            case ("", "secrets"):
                obj["type"] ??= "Opaque";
                break;
            case ("apps", "deployments"):
                Workload(obj, replicas: true);
                var spec = obj.Obj("spec");
                if (spec is not null)
                {
                    var strategy = spec.Obj("strategy") ?? new JsonObject();
                    spec["strategy"] = strategy;
                    strategy["type"] ??= "RollingUpdate";
                    if (strategy.Str("type") == "RollingUpdate")
                    {
                        var rolling = strategy.Obj("rollingUpdate") ?? new JsonObject();
                        strategy["rollingUpdate"] = rolling;
                        rolling["maxUnavailable"] ??= "25%";
                        rolling["maxSurge"] ??= "25%";
                    }
                    spec["revisionHistoryLimit"] ??= 10;
                    spec["progressDeadlineSeconds"] ??= 600;
                }

                break;
            case ("apps", "replicasets"):
                Workload(obj, replicas: true);
                break;
            case ("apps", "statefulsets"):
                Workload(obj, replicas: true);
                if (obj.Obj("spec") is { } sts)
                {
                    sts["podManagementPolicy"] ??= "OrderedReady";
                    sts["updateStrategy"] ??= new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 0 } };
                    sts["revisionHistoryLimit"] ??= 10;
                    sts["persistentVolumeClaimRetentionPolicy"] ??= new JsonObject { ["whenDeleted"] = "Retain", ["whenScaled"] = "Retain" };
                }

                break;
            case ("apps", "daemonsets"):
                Workload(obj, replicas: false);
                if (obj.Obj("spec") is { } ds)
                {
                    ds["updateStrategy"] ??= new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 1, ["maxSurge"] = 0 } };
                    ds["revisionHistoryLimit"] ??= 10;
                }

                break;
            case ("scheduling.k8s.io", "priorityclasses"):
                obj["preemptionPolicy"] ??= "PreemptLowerPriority";
                break;
            case ("batch", "jobs"):
                var job = obj.Obj("spec");
                if (job is not null)
                {
                    job["backoffLimit"] ??= 6;
                    job["completions"] ??= 1;
                    job["parallelism"] ??= 1;
                    job["completionMode"] ??= "NonIndexed";
                    job["suspend"] ??= false;
                    if (job.Obj("template", "spec") is { } jobPod)
                    {
                        PodSpec(jobPod);
                    }
                }

                break;
            case ("batch", "cronjobs"):
                if (obj.Obj("spec") is { } cron)
                {
                    cron["concurrencyPolicy"] ??= "Allow";
                    cron["suspend"] ??= false;
                    cron["successfulJobsHistoryLimit"] ??= 3;
                    cron["failedJobsHistoryLimit"] ??= 1;
                    if (cron.Obj("jobTemplate", "spec", "template", "spec") is { } cronPod)
                    {
                        PodSpec(cronPod);
                    }
                }

                break;
        }
    }

    private static void RequireContainers(ResourceType type, JsonObject obj, JsonObject spec)
    {
        if (spec.Arr("containers") is not { Count: > 0 })
        {
            throw ApiException.Invalid(type, obj.Name(), ("spec.containers", "FieldValueRequired", "Required value"));
        }

        foreach (var c in spec.Arr("containers")!.OfType<JsonObject>())
        {
            if (string.IsNullOrEmpty(c.Str("image")))
            {
                throw ApiException.Invalid(type, obj.Name(), ($"spec.containers[{spec.Arr("containers")!.IndexOf(c)}].image", "FieldValueRequired", "Required value"));
            }
        }
    }

    private static void Workload(JsonObject obj, bool replicas)
    {
        if (obj.Obj("spec") is not { } spec)
        {
            return;
        }

        if (replicas)
        {
            spec["replicas"] ??= 1;
        }

        if (spec.Obj("template", "spec") is { } pod)
        {
            PodSpec(pod);
        }
    }

    public static void PodSpec(JsonObject spec)
    {
        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["securityContext"] ??= new JsonObject();
        spec["schedulerName"] ??= "default-scheduler";
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var c in spec.Arr(list)?.OfType<JsonObject>() ?? [])
            {
                var image = c.Str("image") ?? "";
                var tag = image.Contains('@', StringComparison.Ordinal) ? "digest" : image.Contains(':', StringComparison.Ordinal) ? image[(image.LastIndexOf(':') + 1)..] : "latest";
                c["imagePullPolicy"] ??= tag == "latest" ? "Always" : "IfNotPresent";
                c["terminationMessagePath"] ??= "/dev/termination-log";
                c["terminationMessagePolicy"] ??= "File";
                c["resources"] ??= new JsonObject();
                foreach (var port in c.Arr("ports")?.OfType<JsonObject>() ?? [])
                {
                    port["protocol"] ??= "TCP";
                }
            }
        }
    }

    /// <summary>What admission adds to a pod itself (not to templates): service account, priority and the default tolerations.</summary>
    public static void PodAdmission(JsonObject spec)
    {
        // SetDefaults_Pod, not SetDefaults_PodSpec: pods have it, templates do not.
        spec["enableServiceLinks"] ??= true;
        spec["serviceAccountName"] ??= spec.Str("serviceAccount") ?? "default";
        spec["serviceAccount"] ??= spec.Str("serviceAccountName");
        spec["preemptionPolicy"] ??= "PreemptLowerPriority";
        spec["priority"] ??= 0;
        var tolerations = spec.Arr("tolerations") ?? new JsonArray();
        foreach (var key in new[] { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" })
        {
            if (!tolerations.OfType<JsonObject>().Any(t => t.Str("key") == key))
            {
                tolerations.Add(new JsonObject { ["key"] = key, ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 });
            }
        }

        spec["tolerations"] = tolerations;
    }

    private static string QosClass(JsonObject spec)
    {
        var containers = spec.Arr("containers")?.OfType<JsonObject>().ToList() ?? [];
        var anyResources = containers.Any(c => c.Obj("resources", "requests")?.Count > 0 || c.Obj("resources", "limits")?.Count > 0);
        if (!anyResources)
        {
            return "BestEffort";
        }

        var guaranteed = containers.All(c =>
        {
            var limits = c.Obj("resources", "limits");
            var requests = c.Obj("resources", "requests") ?? limits;
            return limits?.Str("cpu") is { } cpu && limits.Str("memory") is { } mem
                && (requests?.Str("cpu") ?? cpu) == cpu && (requests?.Str("memory") ?? mem) == mem;
        });
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static void Service(JsonObject obj, KubeSimContext sim)
    {
        var spec = obj.Obj("spec") ?? new JsonObject();
        obj["spec"] = spec;
        spec["type"] ??= "ClusterIP";
        spec["sessionAffinity"] ??= "None";
        if (spec.Str("type") != "ExternalName")
        {
            if (spec.Str("clusterIP") is null or "")
            {
                var ip = sim.AllocateServiceIp();
                spec["clusterIP"] = ip;
                spec["clusterIPs"] = new JsonArray(ip);
            }
            else if (spec["clusterIPs"] is null && spec.Str("clusterIP") is { } given)
            {
                spec["clusterIPs"] = new JsonArray(given);
            }

            spec["ipFamilies"] ??= new JsonArray("IPv4");
            spec["ipFamilyPolicy"] ??= "SingleStack";
            spec["internalTrafficPolicy"] ??= "Cluster";
        }

        foreach (var port in spec.Arr("ports")?.OfType<JsonObject>() ?? [])
        {
            port["protocol"] ??= "TCP";
            port["targetPort"] ??= port["port"]?.DeepClone();
            if (spec.Str("type") is "NodePort" or "LoadBalancer")
            {
                port["nodePort"] ??= sim.AllocateNodePort();
            }
        }

        if (spec.Str("type") is "NodePort" or "LoadBalancer")
        {
            spec["externalTrafficPolicy"] ??= "Cluster";
        }

        obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
    }
}
