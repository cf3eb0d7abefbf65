using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Exec;
using Porthole.KubeSim.Logs;

namespace Porthole.KubeSim.Server;

internal sealed partial class KubeApi
{
    /// <summary>POST of a review (access, rules, token, self): computed, never stored.</summary>
    private async Task CreateVirtualAsync(ApiRequest r)
    {
        var body = await ReadObjectAsync(r);
        ObjectRules.CheckKind(r.Type, body);
        var reviews = _sim.Reviews;
        _sim.Counters.Reviewed(r.Type.Plural, r.User.Name);
        JsonObject result = r.Type.Plural switch
        {
            "selfsubjectaccessreviews" => reviews.SelfSubjectAccessReview(r.User, body),
            "subjectaccessreviews" => reviews.SubjectAccessReview(body),
            "localsubjectaccessreviews" => reviews.LocalSubjectAccessReview(r.Info.Namespace, body),
            "selfsubjectrulesreviews" => reviews.SelfSubjectRulesReview(r.User, body),
            "selfsubjectreviews" => reviews.SelfSubjectReview(r.User),
            "tokenreviews" => reviews.TokenReview(body, _sim.Authenticator.Authenticate),
            _ => throw NotFound(),
        };
        await ApiResponses.WriteObjectAsync(r.Http, 201, result);
    }

    /// <summary>metrics.k8s.io: usage of running pods and of nodes, as metrics-server serves it.</summary>
    private Task MetricsAsync(ApiRequest r)
    {
        var metrics = _sim.Metrics;
        var ns = r.Info.Namespace.Length > 0 ? r.Info.Namespace : null;
        JsonObject result = (r.Type.Plural, r.Info.Name.Length > 0) switch
        {
            ("pods", true) => metrics.PodMetrics(r.Info.Namespace, r.Info.Name),
            ("pods", false) => metrics.PodMetricsList(ns),
            ("nodes", true) => metrics.NodeMetrics(r.Info.Name),
            _ => metrics.NodeMetricsList(),
        };
        return ApiResponses.WriteObjectAsync(r.Http, 200, result);
    }

    private Task LogAsync(ApiRequest r)
    {
        var pod = _sim.Store.Get(r.Type, r.Info.Namespace, r.Info.Name) ?? throw ApiException.NotFound(r.Type, r.Info.Name);
        return LogEndpoint.HandleAsync(r.Http, pod.Parse(), _sim.Store, r.Type, _sim.Logs);
    }

    private Task ExecAsync(ApiRequest r)
    {
        var pod = _sim.Store.Get(r.Type, r.Info.Namespace, r.Info.Name) ?? throw ApiException.NotFound(r.Type, r.Info.Name);
        var parsed = pod.Parse();
        return ExecEndpoint.HandleAsync(
            r.Http,
            parsed,
            r.Info.Subresource == "attach",
            _sim.Runtime,
            (container, ct) => _sim.FollowContainer(parsed, container, ct),
            (container, code) => _sim.Kubelet?.ReportExit(parsed.Namespace(), parsed.Name(), parsed.Uid(), container, code));
    }
}
