using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Porthole.Hub;

namespace Porthole.Clusters.Caching;

internal sealed partial class SharedWatch
{
    /// <summary>
    /// Kubernetes does not end open watches when RBAC changes: every
    /// <see cref="HubOptions.AccessRecheck"/> the user's right to list and watch is asked again
    /// (SelfSubjectAccessReview made as the user), and a refusal ends the channel.
    /// </summary>
    private async Task AccessLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_options.AccessRecheck, _time, cancellationToken);
            foreach (var verb in (string[])["list", "watch"])
            {
                if (await AllowedAsync(verb, cancellationToken) == false)
                {
                    EndAll(HubErrors.Forbidden, $"access to {Key.Resource} in {(Key.Namespace.Length == 0 ? "all namespaces" : "namespace " + Key.Namespace)} was revoked ({verb} is no longer allowed)");
                    await _stop.CancelAsync();
                    return;
                }
            }
        }
    }

    /// <summary>True / false per the review; null when the review itself failed (checked again next round).</summary>
    private async Task<bool?> AllowedAsync(string verb, CancellationToken cancellationToken)
    {
        var attributes = new JsonObject { ["verb"] = verb, ["group"] = Key.Group, ["version"] = Key.Version, ["resource"] = Key.Resource };
        if (Key.Namespace.Length > 0)
        {
            attributes["namespace"] = Key.Namespace;
        }

        var review = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SelfSubjectAccessReview",
            ["spec"] = new JsonObject { ["resourceAttributes"] = attributes },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("apis/authorization.k8s.io/v1/selfsubjectaccessreviews", UriKind.Relative))
        {
            Content = JsonContent.Create(review),
        };
        try
        {
            using var response = await _cluster.SendAsync(request, _credential, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var answer = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            return answer?["status"]?["allowed"]?.GetValue<bool>() ?? false;
        }
        catch (Exception e) when (Transient(e, cancellationToken))
        {
            return null;
        }
    }
}
