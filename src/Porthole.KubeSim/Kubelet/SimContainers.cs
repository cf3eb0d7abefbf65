using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Kubelet;

/// <summary>Container-runtime facts derived deterministically from a pod: image names, ids and QoS.</summary>
public static class SimContainers
{
    /// <summary>The fully qualified image reference containerd reports ("nginx" -> "docker.io/library/nginx:latest").</summary>
    public static string FullImage(string image)
    {
        var (repo, suffix) = SplitTag(image);
        return repo + suffix;
    }

    /// <summary>The imageID containerd reports: repository@sha256:digest.</summary>
    public static string ImageId(string image)
    {
        var (repo, suffix) = SplitTag(image);
        return suffix.StartsWith('@') ? repo + suffix : $"{repo}@sha256:{SimFormat.Hex("image", repo + suffix)}";
    }

    /// <summary>containerd://64-hex id of one container instance.</summary>
    public static string ContainerId(string podUid, string container, long restartCount) =>
        "containerd://" + SimFormat.Hex("container", podUid, container, restartCount.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Guaranteed, Burstable or BestEffort, computed as the API server does from requests and limits.</summary>
    public static string QosClass(JsonObject pod)
    {
        var containers = Containers(pod, "containers").Concat(Containers(pod, "initContainers")).ToList();
        var any = false;
        var guaranteed = containers.Count > 0;
        foreach (var c in containers)
        {
            var requests = c.Obj("resources", "requests");
            var limits = c.Obj("resources", "limits");
            if ((requests?.Count ?? 0) > 0 || (limits?.Count ?? 0) > 0)
            {
                any = true;
            }

            foreach (var resource in new[] { "cpu", "memory" })
            {
                var limit = limits.Str(resource);
                var request = requests.Str(resource) ?? limit;
                if (limit is null || request != limit)
                {
                    guaranteed = false;
                }
            }
        }

        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

    /// <summary>The container objects of spec.containers or spec.initContainers.</summary>
    public static IEnumerable<JsonObject> Containers(JsonObject pod, string field) =>
        pod.Arr("spec", field)?.OfType<JsonObject>() ?? [];

    private static (string Repo, string Suffix) SplitTag(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var digest = at >= 0 ? image[at..] : "";
        var name = at >= 0 ? image[..at] : image;
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        var tag = colon > slash ? name[colon..] : "";
        var repo = colon > slash ? name[..colon] : name;
        var first = repo.Split('/')[0];
        var hasRegistry = repo.Contains('/', StringComparison.Ordinal)
            && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost");
        if (!hasRegistry)
        {
            repo = repo.Contains('/', StringComparison.Ordinal) ? "docker.io/" + repo : "docker.io/library/" + repo;
        }

        return (repo, digest.Length > 0 ? digest : tag.Length > 0 ? tag : ":latest");
    }
}
