using System.Net;
using System.Text.Json;
using Porthole.Clusters;

namespace Porthole.Hub.Channels;

/// <summary>
/// <c>owner: {kind, name}</c> of a logs subscribe: a workload whose pods' logs are wanted.
/// Porthole reads it as the user and turns its <c>spec.selector</c> (matchLabels and
/// matchExpressions) into the label selector of workload mode.
/// </summary>
internal sealed record LogOwner(string Kind, string Name)
{
    private static readonly Dictionary<string, string> Paths = new(StringComparer.Ordinal)
    {
        ["Deployment"] = "apis/apps/v1/namespaces/{0}/deployments/{1}",
        ["StatefulSet"] = "apis/apps/v1/namespaces/{0}/statefulsets/{1}",
        ["DaemonSet"] = "apis/apps/v1/namespaces/{0}/daemonsets/{1}",
        ["ReplicaSet"] = "apis/apps/v1/namespaces/{0}/replicasets/{1}",
        ["Job"] = "apis/batch/v1/namespaces/{0}/jobs/{1}",
    };

    public void Validate()
    {
        if (string.IsNullOrEmpty(Kind) || !Paths.ContainsKey(Kind))
        {
            throw new HubProtocolException(HubErrors.BadPayload, $"\"owner.kind\" must be one of {string.Join(", ", Paths.Keys)}");
        }

        if (string.IsNullOrEmpty(Name))
        {
            throw new HubProtocolException(HubErrors.BadPayload, "\"owner.name\" is required");
        }

        WatchRequest.ObjectName(Name, "owner.name");
    }

    /// <summary>The owner's pod selector, read as the user: e.g. <c>app=web,tier in (a,b),!canary</c>.</summary>
    public async Task<string> SelectorAsync(Cluster cluster, KubeCredential credential, string ns, CancellationToken cancellationToken)
    {
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, Paths[Kind], Uri.EscapeDataString(ns), Uri.EscapeDataString(Name));
        JsonDocument doc;
        try
        {
            doc = await cluster.GetJsonAsync(path, credential, cancellationToken);
        }
        catch (KubeApiException e)
        {
            throw new HubProtocolException(e.Status switch
            {
                HttpStatusCode.NotFound => HubErrors.NotFound,
                HttpStatusCode.Forbidden => HubErrors.Forbidden,
                HttpStatusCode.Unauthorized => HubErrors.Unauthorized,
                _ => HubErrors.Upstream,
            }, e.Message);
        }

        using (doc)
        {
            var selector = doc.RootElement.TryGetProperty("spec", out var spec) && spec.TryGetProperty("selector", out var s) ? Format(s) : "";
            return selector.Length > 0 ? selector
                : throw new HubProtocolException(HubErrors.BadSelector, $"{Kind} {Name} has no pod selector");
        }
    }

    /// <summary>A metav1.LabelSelector as the label selector string the API server takes.</summary>
    internal static string Format(JsonElement selector)
    {
        var terms = new List<string>();
        if (selector.TryGetProperty("matchLabels", out var labels) && labels.ValueKind == JsonValueKind.Object)
        {
            terms.AddRange(labels.EnumerateObject().Select(l => $"{l.Name}={l.Value.GetString()}"));
        }

        if (selector.TryGetProperty("matchExpressions", out var expressions) && expressions.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in expressions.EnumerateArray())
            {
                var key = e.GetProperty("key").GetString();
                var values = e.TryGetProperty("values", out var v) && v.ValueKind == JsonValueKind.Array
                    ? string.Join(",", v.EnumerateArray().Select(x => x.GetString()))
                    : "";
                terms.Add(e.GetProperty("operator").GetString() switch
                {
                    "In" => $"{key} in ({values})",
                    "NotIn" => $"{key} notin ({values})",
                    "Exists" => key!,
                    "DoesNotExist" => "!" + key,
                    var op => throw new HubProtocolException(HubErrors.BadSelector, $"unknown selector operator {op}"),
                });
            }
        }

        return string.Join(",", terms);
    }
}
