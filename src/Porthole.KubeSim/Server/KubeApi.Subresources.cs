using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Controllers;

namespace Porthole.KubeSim.Server;

internal sealed partial class KubeApi
{
    /// <summary>GET/PUT/PATCH .../scale: an autoscaling/v1 Scale view of spec.replicas.</summary>
    private async Task ScaleAsync(ApiRequest r)
    {
        var live = _sim.Store.Get(r.Type, r.Info.Namespace, r.Info.Name) ?? throw ApiException.NotFound(r.Type, r.Info.Name);
        var method = r.Http.Request.Method;
        if (method == "GET")
        {
            await ApiResponses.WriteObjectAsync(r.Http, 200, ToScale(live.Parse()));
            return;
        }

        // A PATCH applies to the object as it is when written (like the API server's guaranteed
        // update), so a concurrent status write by a controller is no conflict; only a
        // resourceVersion the client itself sent is a precondition.
        var put = method == "PUT" ? await ReadObjectAsync(r) : null;
        var patch = method == "PATCH" ? await ReadBodyAsync(r) : null;
        if (put is null && patch is null)
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var contentType = (r.Http.Request.ContentType ?? "").Split(';')[0].Trim();
        var updated = _sim.Store.Mutate(r.Type, r.Info.Namespace, r.Info.Name, o =>
        {
            var scale = put ?? Patching.Patcher.Apply(contentType, "Scale", false, ToScale(o), patch!);
            var replicas = scale.Long("spec", "replicas") ?? throw ApiException.Invalid(ScaleType, r.Info.Name, ("spec.replicas", "FieldValueRequired", "Required value"));
            if (replicas < 0)
            {
                throw ApiException.Invalid(ScaleType, r.Info.Name, ("spec.replicas", "FieldValueInvalid", $"Invalid value: {replicas}: must be greater than or equal to 0"));
            }

            var expectedRv = scale.Str("metadata", "resourceVersion");
            if (!string.IsNullOrEmpty(expectedRv) && expectedRv != o.ResourceVersion())
            {
                throw ApiException.StaleResourceVersion(r.Type, r.Info.Name);
            }

            var spec = o.Obj("spec") ?? new JsonObject();
            o["spec"] = spec;
            if (spec.Long("replicas") == replicas)
            {
                return false;
            }

            spec["replicas"] = replicas;
            o.Metadata()["generation"] = (o.Long("metadata", "generation") ?? 0) + 1;
            return true;
        });
        await ApiResponses.WriteObjectAsync(r.Http, 200, ToScale(updated.Parse()));
    }

    private static readonly ResourceType ScaleType = new("autoscaling", "v1", "scale", "Scale", true, [], [], [], []);

    private static JsonObject ToScale(JsonObject obj)
    {
        var selector = obj.Obj("spec", "selector");
        var status = new JsonObject { ["replicas"] = obj.Long("status", "replicas") ?? 0 };
        if (selector is not null)
        {
            status["selector"] = Query.LabelSelector.FromJson(selector).ToString();
        }

        var meta = obj.Metadata();
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta.Str("name"),
                ["namespace"] = meta.Str("namespace"),
                ["uid"] = meta.Str("uid"),
                ["resourceVersion"] = meta.Str("resourceVersion"),
                ["creationTimestamp"] = meta.Str("creationTimestamp"),
            },
            ["spec"] = new JsonObject { ["replicas"] = obj.Long("spec", "replicas") ?? 0 },
            ["status"] = status,
        };
    }

    /// <summary>POST pods/{name}/eviction: a policy/v1 Eviction deletes the pod unless its PodDisruptionBudget forbids it (429).</summary>
    private async Task EvictAsync(ApiRequest r)
    {
        var eviction = await ReadObjectAsync(r);
        if (eviction.Str("metadata", "name") is { Length: > 0 } name && name != r.Info.Name)
        {
            throw ApiException.BadRequest($"name in URL does not match name in Eviction object");
        }

        var options = eviction.Obj("deleteOptions") is { } d ? DeleteOptions.From(d, _ => null) : DeleteOptions.Default;
        new Controllers.Disruption.Evictions(_sim.Store, _sim.Registry, _sim.Controllers.Deleter, _sim.Time).Evict(r.Info.Namespace, r.Info.Name, options with { DryRun = options.DryRun || r.DryRun });
        var status = ApiResponses.Success();
        status["code"] = 201;
        await ApiResponses.WriteObjectAsync(r.Http, 201, status);
    }

    /// <summary>POST pods/{name}/binding: assigns a node, as a scheduler does.</summary>
    private async Task BindAsync(ApiRequest r)
    {
        var binding = await ReadObjectAsync(r);
        var node = binding.Str("target", "name") ?? throw ApiException.BadRequest("binding target name is required");
        _sim.Store.Mutate(r.Type, r.Info.Namespace, r.Info.Name, o =>
        {
            if (o.Str("spec", "nodeName") is { Length: > 0 } existing)
            {
                throw ApiException.Conflict(r.Type, r.Info.Name, $"pod {r.Info.Name} is already assigned to node \"{existing}\"");
            }

            o.Obj("spec")!["nodeName"] = node;
            return true;
        });
        var status = ApiResponses.Success();
        status["code"] = 201;
        await ApiResponses.WriteObjectAsync(r.Http, 201, status);
    }

    /// <summary>POST serviceaccounts/{name}/token: a TokenRequest answered with a bound token (kubectl create token).</summary>
    private async Task TokenAsync(ApiRequest r)
    {
        var request = await ReadObjectAsync(r);
        await ApiResponses.WriteObjectAsync(r.Http, 201, _sim.TokenRequests.Create(r.Info.Namespace, r.Info.Name, request));
    }

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);
}
