using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Porthole.Tests.Apis;

/// <summary>Calls Porthole's resource API the way the SPA does (X-Requested-With on mutations).</summary>
internal static class ResourceClient
{
    public static string Url(string cluster, string kubePath) => $"/api/v1/clusters/{cluster}/k8s/{kubePath}";

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string? body = null,
        string contentType = "application/json", string? accept = null, Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Add("X-Requested-With", "test");
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        headers?.Invoke(request.Headers);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    public static string ConfigMap(string ns, string name, string value, string label = "none") =>
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","labels":{"suite":"{{{label}}}"}},"data":{"key":"{{{value}}}"}}""";
}
