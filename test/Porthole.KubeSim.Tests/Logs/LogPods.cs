using System.Text.Json.Nodes;
using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Tests.Logs;

/// <summary>Pod objects in the states the log endpoint distinguishes.</summary>
internal static class LogPods
{
    public const string Uid = "6f1c2d3e-0000-4000-a000-000000000001";
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 20, 0, 0, TimeSpan.Zero);

    public static JsonObject Running(string name, params string[] containers)
    {
        var specs = new JsonArray();
        var statuses = new JsonArray();
        foreach (var c in containers.Length == 0 ? ["web"] : containers)
        {
            specs.Add(new JsonObject { ["name"] = c, ["image"] = "nginx" });
            statuses.Add(new JsonObject
            {
                ["name"] = c,
                ["ready"] = true,
                ["restartCount"] = 0,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = SimFormat.Time(Start) } },
            });
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["uid"] = Uid },
            ["spec"] = new JsonObject { ["nodeName"] = "kubesim-node-1", ["containers"] = specs },
            ["status"] = new JsonObject { ["phase"] = "Running", ["containerStatuses"] = statuses },
        };
    }

    public static JsonObject WithInit(JsonObject pod, string init)
    {
        pod["spec"]!["initContainers"] = new JsonArray(new JsonObject { ["name"] = init, ["image"] = "busybox" });
        pod["status"]!["initContainerStatuses"] = new JsonArray(new JsonObject
        {
            ["name"] = init,
            ["state"] = new JsonObject
            {
                ["terminated"] = new JsonObject
                {
                    ["exitCode"] = 0,
                    ["reason"] = "Completed",
                    ["startedAt"] = SimFormat.Time(Start.AddSeconds(-5)),
                    ["finishedAt"] = SimFormat.Time(Start),
                },
            },
        });
        return pod;
    }

    /// <summary>The first container restarted: it ran 20:00:00-20:01:00 before, and runs again since 20:01:05.</summary>
    public static JsonObject Restarted(string name)
    {
        var pod = Running(name);
        var status = pod["status"]!["containerStatuses"]![0]!.AsObject();
        status["restartCount"] = 1;
        status["lastState"] = new JsonObject
        {
            ["terminated"] = new JsonObject
            {
                ["exitCode"] = 137,
                ["reason"] = "Error",
                ["startedAt"] = SimFormat.Time(Start),
                ["finishedAt"] = SimFormat.Time(Start.AddMinutes(1)),
            },
        };
        status["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = SimFormat.Time(Start.AddSeconds(65)) } };
        return pod;
    }

    public static JsonObject Waiting(string name, string reason)
    {
        var pod = Running(name);
        pod["status"]!["phase"] = "Pending";
        pod["status"]!["containerStatuses"]![0]!["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = reason } };
        return pod;
    }
}
