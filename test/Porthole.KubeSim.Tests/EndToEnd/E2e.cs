using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Porthole.KubeSim.Tests.EndToEnd;

/// <summary>Shared helpers of the end-to-end tests: unique namespaces, pods, JSON and error plumbing.</summary>
internal static class E2e
{
    public static readonly TimeSpan PodDeadline = TimeSpan.FromSeconds(60);

    /// <summary>Creates a namespace with a unique name starting with <paramref name="prefix"/>.</summary>
    public static async Task<string> NamespaceAsync(Kubernetes client, string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public static V1Pod Pod(string name, Dictionary<string, string>? labels = null, params string[] containers) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1PodSpec
        {
            Containers = (containers.Length == 0 ? ["app"] : containers)
                .Select(c => new V1Container { Name = c, Image = "busybox:1.36" })
                .ToList(),
        },
    };

    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Phase == "Running" && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>Waits until the pod runs with every container ready.</summary>
    public static Task<V1Pod> RunningAsync(Kubernetes client, string ns, string name) =>
        Eventually.GetAsync(() => client.CoreV1.ReadNamespacedPodAsync(name, ns), IsReady, PodDeadline, $"pod {ns}/{name} running");

    /// <summary>Creates a pod and waits until it runs.</summary>
    public static async Task<V1Pod> RunPodAsync(Kubernetes client, string ns, V1Pod pod)
    {
        await client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        return await RunningAsync(client, ns, pod.Metadata.Name);
    }

    /// <summary>The result of a CustomObjects call (a JsonElement) as a mutable JSON object.</summary>
    public static JsonObject Json(object result) => JsonSerializer.SerializeToNode(result)!.AsObject();

    /// <summary>The metav1.Status body of a failed client call.</summary>
    public static async Task<(HttpStatusCode Code, JsonObject Status)> FailureAsync(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        return (e.Response.StatusCode, JsonNode.Parse(e.Response.Content)!.AsObject());
    }

    public static async Task<JsonObject> GetJsonAsync(HttpClient http, string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static IEnumerable<string> Strings(JsonNode? array) =>
        array?.AsArray().Select(n => (string)n!) ?? [];
}
