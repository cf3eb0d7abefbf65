using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Hosting;
using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Tests.Controllers.Batch;

/// <summary>A simulator on a loopback port whose containers crash after 1s and back off from 1s, reached over HTTPS as sim-admin.</summary>
public sealed class FastSimFixture : IAsyncLifetime
{
    private SimServer? _server;
    private HttpClient? _http;

    public SimServer Server => _server ?? throw new InvalidOperationException("not started");

    public HttpClient Http => _http ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _server = await SimServer.StartAsync(new KubeSimOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Seed = "empty",
            Kubelet = new KubeletOptions { CrashAfter = TimeSpan.FromSeconds(1), BackOffBase = TimeSpan.FromSeconds(1), BackOffMax = TimeSpan.FromSeconds(4) },
        });
        _http = _server.CreateHttpClient("sim-admin");
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public async Task NamespaceAsync(string ns) =>
        await PostAsync("/api/v1/namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });

    public async Task<JsonObject> PostAsync(string path, JsonObject body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>GET as JSON; null on 404.</summary>
    public async Task<JsonObject?> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<List<JsonObject>> ItemsAsync(string path) =>
        [.. (await GetAsync(path))!["items"]!.AsArray().OfType<JsonObject>()];

    public async Task<JsonObject> EventuallyAsync(string path, Func<JsonObject, bool> done, string what) =>
        (await Eventually.GetAsync(() => GetAsync(path), o => o is not null && done(o), TimeSpan.FromSeconds(60), what))!;

    public static JsonObject Pod(string ns, string name, string image, string restartPolicy = "Always", params string[] command)
    {
        var container = new JsonObject { ["name"] = "app", ["image"] = image };
        if (command.Length > 0)
        {
            container["command"] = new JsonArray([.. command.Select(c => (JsonNode)c)]);
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = name } },
            ["spec"] = new JsonObject { ["restartPolicy"] = restartPolicy, ["containers"] = new JsonArray(container) },
        };
    }
}
