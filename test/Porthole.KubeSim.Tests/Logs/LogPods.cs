using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;
using Porthole.KubeSim.Logs;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Tests.Logs;

/// <summary>Pod objects in the states the log endpoint distinguishes.</summary>
internal static class LogPods
{
    private static readonly ResourceType Pods = new ResourceRegistry().Find("", "v1", "pods")!;

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

    /// <summary>GET pods/{name}/log of <paramref name="pod"/> with <paramref name="query"/> at time <paramref name="now"/>: status, body and content type.</summary>
    public static async Task<(int Status, string Body, string? ContentType)> ServeAsync(JsonObject pod, string query, DateTimeOffset now)
    {
        var store = new ObjectStore(new FakeTimeProvider(now));
        var ctx = new DefaultHttpContext();
        ctx.Request.QueryString = new QueryString(query);
        var body = new MemoryStream();
        ctx.Response.Body = body;
        await LogEndpoint.HandleAsync(ctx, pod, store, Pods);
        return (ctx.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray()), ctx.Response.ContentType);
    }
}
