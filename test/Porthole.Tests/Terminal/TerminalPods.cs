using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Porthole.Clusters;

namespace Porthole.Tests.Terminal;

/// <summary>
/// The pods the terminal tests exec into, created in the demo KubeSim's default namespace (the
/// demo seed's own pods have generated names): web-1 runs nginx (which has bash), web-2 runs
/// nginx and a busybox log-shipper (sh only).
/// </summary>
internal static class TerminalPods
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    public static async Task CreateAsync(PortholeTestHost host)
    {
        await CreateAsync(host.App.Services.GetServices<IHostedService>().OfType<DemoClusterService>().Single().Sim
            ?? throw new InvalidOperationException("the demo cluster is not running"));
    }

    /// <summary>The same pods in a KubeSim of the test's own.</summary>
    public static async Task CreateAsync(Porthole.KubeSim.Hosting.SimServer sim)
    {
        using var http = sim.CreateHttpClient();
        await CreateAsync(http, "web-1", ("nginx", "nginx:1.27"));
        await CreateAsync(http, "web-2", ("nginx", "nginx:1.27"), ("log-shipper", "busybox:1.36"));
        await WaitRunningAsync(http, "web-1", 1);
        await WaitRunningAsync(http, "web-2", 2);
    }

    private static async Task CreateAsync(HttpClient http, string name, params (string Name, string Image)[] containers)
    {
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = "terminal-test" } },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray([.. containers.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["image"] = c.Image })]),
            },
        };
        using var response = await http.PostAsJsonAsync("api/v1/namespaces/default/pods", pod);
        response.EnsureSuccessStatusCode();
    }

    private static async Task WaitRunningAsync(HttpClient http, string name, int containers)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            var pod = await http.GetFromJsonAsync<JsonObject>($"api/v1/namespaces/default/pods/{name}", deadline.Token);
            var statuses = pod!["status"]?["containerStatuses"]?.AsArray();
            if (statuses is { Count: > 0 } && statuses.Count == containers && statuses.All(s => s!["state"]?["running"] is not null))
            {
                return;
            }

            await Task.Delay(50, deadline.Token); // polls a condition, bounded by the deadline
        }
    }
}
