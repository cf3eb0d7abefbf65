using Porthole.Clusters;
using Porthole.Hosting;
using Porthole.Pipeline;
using Porthole.Storage;

namespace Porthole.Apis.Resources;

/// <summary>
/// <c>/api/v1/clusters/{cluster}/k8s/{kubernetes path}</c>: GET, POST, PUT, PATCH and DELETE on
/// any Kubernetes REST path, executed with the request's <see cref="KubeCredential"/> (the
/// signed-in user). Kubernetes' answer, errors included, is passed through with its status code
/// and body, and streamed rather than buffered.
/// </summary>
internal static class ResourceApi
{
    public const string Route = "/clusters/{cluster}/k8s/{**path}";

    private static readonly string[] PassedHeaders = ["Warning", "Retry-After", "Audit-Id"];

    public static RouteGroupBuilder MapResourceApi(this RouteGroupBuilder api)
    {
        api.MapMethods(Route, [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete], HandleAsync)
            .WithName("KubernetesResource");
        return api;
    }

    private static async Task HandleAsync(HttpContext context, string cluster, string? path, ClusterRegistry registry, PortholeOptions options, AuditLog audit)
    {
        if (registry.Find(cluster) is not { } target)
        {
            await ClusterProblems.NotFoundAsync(context, cluster);
            return;
        }

        var (kubePath, status, error) = KubePath.Parse(path);
        if (kubePath is null)
        {
            await Problems.WriteAsync(context, status, status == 403 ? "subresource_refused" : "bad_path", "Path not served", error);
            return;
        }

        if (options.ReadOnly && !HttpMethods.IsGet(context.Request.Method) && !IsReview(kubePath))
        {
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "read_only", "Porthole is read-only",
                "This Porthole server runs with PORTHOLE_READ_ONLY=true: creating, changing and deleting resources is turned off.");
            return;
        }

        if (!IsReview(kubePath) && AuditLog.VerbOf(context.Request.Method, kubePath.Name) is not null)
        {
            // Fail closed: a change Kubernetes would make must be auditable first (store up, queue not full).
            audit.EnsureCanRecord("change through the resource API");
        }

        if (context.GetKubeCredential() is not { } credential)
        {
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "unauthenticated", "Sign in first",
                "Kubernetes calls are made as the signed-in user, and this request has none.");
            return;
        }

        var (request, refusal) = await ResourceRequest.BuildAsync(context, kubePath);
        if (refusal is not null)
        {
            await Problems.WriteAsync(context, refusal.Status, refusal.Code, "Request not served", refusal.Detail);
            return;
        }

        using (request)
        {
            using var response = await ClusterProblems.SendAsync(context, target, request!, credential);
            if (response is null)
            {
                return;
            }

            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            foreach (var name in PassedHeaders)
            {
                if (response.Headers.TryGetValues(name, out var values))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
            if (!IsReview(kubePath) && context.GetPortholeUser() is { } user)
            {
                var resource = kubePath.Subresource is null ? kubePath.Resource ?? "" : $"{kubePath.Resource}/{kubePath.Subresource}";
                audit.RecordKubernetesCall(user.Name, cluster, context.Request.Method, kubePath.Namespace, resource, kubePath.Name, (int)response.StatusCode);
            }
        }
    }

    /// <summary>Access reviews create nothing: the UI asks them even on a read-only server.</summary>
    private static bool IsReview(KubePath path) =>
        path.Path.StartsWith("apis/authorization.k8s.io/", StringComparison.Ordinal)
        && path.Resource is "selfsubjectaccessreviews" or "selfsubjectrulesreviews" && path.Name is null;
}
