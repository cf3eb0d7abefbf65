using System.Text.Json;

namespace Porthole.Clusters;

public sealed partial class Cluster
{
    /// <summary>GETs a JSON document from the API server; a non-success answer throws <see cref="KubeApiException"/>.</summary>
    public async Task<JsonDocument> GetJsonAsync(string path, KubeCredential credential, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await SendAsync(request, credential, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        }

        var (reason, message) = ("", "");
        try
        {
            using var status = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            reason = Porthole.Clusters.Discovery.DiscoveryReader.Text(status.RootElement, "reason");
            message = Porthole.Clusters.Discovery.DiscoveryReader.Text(status.RootElement, "message");
        }
        catch (JsonException)
        {
            // Not a Status object: the status code says enough.
        }

        throw new KubeApiException(response.StatusCode, reason, message);
    }
}
