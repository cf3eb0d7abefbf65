using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Discovery;
using Porthole.KubeSim.Exec;
using Porthole.KubeSim.Kubelet;
using Porthole.KubeSim.Logs;
using Porthole.KubeSim.Metrics;
using Porthole.KubeSim.OpenApi;
using Porthole.KubeSim.Query;

namespace Porthole.KubeSim.Server;

internal sealed partial class KubeSimContext
{
    public required DiscoveryDocuments Discovery { get; init; }

    public required OpenApiDocuments OpenApi { get; init; }

    public required SchemaValidator Validator { get; init; }

    public required MetricsApi Metrics { get; init; }

    public required ContainerRuntime Runtime { get; init; }

    public required LogGenerator Logs { get; init; }

    /// <summary>The scheduler and kubelets, once the control loops run (null before, and in hosts without them).</summary>
    public Kubelet.SimKubelet? Kubelet { get; set; }

    /// <summary>ResourceQuota admission on create and quota status.</summary>
    public required Controllers.Quota.ResourceQuotas Quotas { get; init; }

    /// <summary>fieldValidation: Strict rejects unknown fields, Warn (the default) reports them in Warning headers.</summary>
    public void Validate(ResourceType type, JsonObject obj, string? fieldValidation, IHeaderDictionary responseHeaders, bool decoding = true)
    {
        foreach (var warning in Validator.Check(type, obj, fieldValidation, decoding))
        {
            responseHeaders.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
    }

    /// <summary>labelSelector and fieldSelector of a request, with a CRD's selectableFields.</summary>
    public ListFilter Filter(ApiRequest r)
    {
        IReadOnlyCollection<string>? selectable = null;
        if (CrdFor(r.Type) is { } crd)
        {
            selectable = crd.Arr("spec", "versions")?.OfType<JsonObject>()
                .FirstOrDefault(v => v.Str("name") == r.Type.Version)?.Arr("selectableFields")?
                .OfType<JsonObject>().Select(f => f.Str("jsonPath") ?? "").Where(p => p.Length > 0).ToList();
        }

        return ListFilter.Parse(r.Query("labelSelector"), r.Query("fieldSelector"), r.Type, selectable);
    }

    /// <summary>What a container writes from now on, for attach: the same lines its log shows.</summary>
    public async IAsyncEnumerable<string> FollowContainer(JsonObject pod, string container, [EnumeratorCancellation] CancellationToken ct)
    {
        var started = pod.Arr("status", "containerStatuses")?.OfType<JsonObject>()
            .FirstOrDefault(s => s.Str("name") == container)?.Str("state", "running", "startedAt");
        if (started is null || !DateTimeOffset.TryParse(started, System.Globalization.CultureInfo.InvariantCulture, out var start))
        {
            yield break;
        }

        if (ContainerRuntime.FindContainer(pod, container) is { } spec && ContainerFate.InteractiveMain(spec) is not null)
        {
            // A shell waiting on its stdin writes nothing until someone types into it.
            await Task.Delay(Timeout.InfiniteTimeSpan, Time, ct);
            yield break;
        }

        var source = new LogSource(pod.Uid(), container, start);
        var next = Logs.CountAt(source, Time.GetUtcNow()) + 1;
        while (!ct.IsCancellationRequested)
        {
            var due = Logs.TimeOf(source, next) - Time.GetUtcNow();
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, Time, ct);
            }

            yield return Logs.Text(source, next++);
        }
    }
}
