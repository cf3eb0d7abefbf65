using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Exec;

/// <summary>PodExecOptions / PodAttachOptions from the query, validated against the pod as the API server and kubelet do.</summary>
internal sealed record ExecOptions(IReadOnlyList<string> Command, string Container, bool Stdin, bool Stdout, bool Stderr, bool Tty, bool Attach)
{
    public static ExecOptions Parse(IQueryCollection query, JsonObject pod, bool attach)
    {
        var command = query["command"].Where(c => c is not null).Select(c => c!).ToList();
        var tty = Flag(query, "tty");
        var stdin = Flag(query, "stdin");
        var stdout = Flag(query, "stdout");

        // The kubelet drops stderr for a terminal: it is merged into stdout.
        var stderr = Flag(query, "stderr") && !tty;
        var container = ResolveContainer(pod, query["container"].ToString());
        if (string.IsNullOrEmpty(pod.Str("spec", "nodeName")))
        {
            throw ApiException.BadRequest($"pod {pod.Name()} does not have a host assigned");
        }

        if (!attach && command.Count == 0)
        {
            throw ApiException.BadRequest("you must specify at least one command for the container");
        }

        if (!stdin && !stdout && !stderr)
        {
            throw ApiException.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        }

        return new ExecOptions(command, container, stdin, stdout, stderr, tty, attach);
    }

    /// <summary>Whether the container has a running state in the pod's status.</summary>
    public static bool IsRunning(JsonObject pod, string container)
    {
        foreach (var field in new[] { "containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses" })
        {
            var status = pod.Arr("status", field)?.OfType<JsonObject>().FirstOrDefault(s => s.Str("name") == container);
            if (status is not null)
            {
                return status.Obj("state", "running") is not null;
            }
        }

        // No status reported for it: trust the pod phase.
        return pod.Str("status", "phase") == "Running";
    }

    private static string ResolveContainer(JsonObject pod, string container)
    {
        var containers = Names(pod, "containers");
        if (container.Length == 0)
        {
            switch (containers.Count)
            {
                case 1:
                    return containers[0];
                case 0:
                    throw ApiException.BadRequest($"a container name must be specified for pod {pod.Name()}");
                default:
                    var message = $"a container name must be specified for pod {pod.Name()}, choose one of: [{string.Join(' ', containers)}]";
                    var init = Names(pod, "initContainers");
                    if (init.Count > 0)
                    {
                        message += $" or one of the init containers: [{string.Join(' ', init)}]";
                    }

                    throw ApiException.BadRequest(message);
            }
        }

        if (ContainerRuntime.FindContainer(pod, container) is null)
        {
            throw ApiException.BadRequest($"container {container} is not valid for pod {pod.Name()}");
        }

        return container;
    }

    private static List<string> Names(JsonObject pod, string field) =>
        pod.Arr("spec", field)?.OfType<JsonObject>().Select(c => c.Str("name") ?? "").ToList() ?? [];

    /// <summary>Go's strconv.ParseBool truths, as query parameters decode into the options.</summary>
    private static bool Flag(IQueryCollection query, string name) =>
        query[name].ToString() is "1" or "t" or "T" or "true" or "TRUE" or "True";
}
