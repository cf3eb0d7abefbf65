using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Server;

/// <summary>
/// The API server's front door: authenticates, parses the Kubernetes path, impersonates,
/// authorizes and dispatches to the verb handlers (KubeApi.*.cs). Every failure leaves as a
/// metav1.Status with the real code and wording.
/// </summary>
internal sealed partial class KubeApi
{
    private static readonly string[] HealthPaths = ["/healthz", "/livez", "/readyz"];

    private readonly KubeSimContext _sim;
    private readonly ILogger _logger;

    public KubeApi(KubeSimContext sim, ILogger logger)
    {
        _sim = sim;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext ctx)
    {
        _sim.Counters.RequestStarted();
        try
        {
            var path = ctx.Request.Path.Value ?? "/";
            if (HealthPaths.Any(h => path == h || path.StartsWith(h + "/", StringComparison.Ordinal)))
            {
                ctx.Response.ContentType = "text/plain; charset=utf-8";
                await ctx.Response.WriteAsync("ok");
                return;
            }

            if (await _sim.Faults.InterceptAsync(_sim, ctx, path))
            {
                return;
            }

            var user = _sim.Authenticator.Authenticate(ctx.Request) ?? throw ApiException.Unauthorized();
            var info = RequestInfo.Parse(ctx.Request.Method, path, k => ctx.Request.Query[k].FirstOrDefault());
            user = _sim.Impersonate(user, ctx.Request.Headers);
            if (!info.IsResourceRequest)
            {
                _sim.Authorize(user, info, null);
                await NonResourceAsync(ctx, info, user);
                return;
            }

            var type = _sim.Registry.Find(info.ApiGroup, info.ApiVersion, info.Resource) ?? throw NotFound();
            if (!type.Namespaced && info.Namespace.Length > 0)
            {
                throw NotFound();
            }

            if (type.Namespaced && info.Namespace.Length == 0 && info.Name.Length > 0)
            {
                throw NotFound();
            }

            if (info.Subresource.Length > 0 && !type.HasSubresource(info.Subresource))
            {
                throw NotFound();
            }

            _sim.Authorize(user, info, type);
            await DispatchAsync(ctx, new ApiRequest(ctx, info, type, user));
        }
        catch (ApiException e)
        {
            await ApiResponses.WriteStatusAsync(ctx, e);
        }
        catch (JsonException e)
        {
            await ApiResponses.WriteStatusAsync(ctx, ApiException.BadRequest($"error decoding request body: {e.Message}"));
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away (a watch or log follow ended): nothing left to answer.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug must not take the simulator down: answer as the API server does, and say so in the log.
            LogUnhandled(_logger, ctx.Request.Method, ctx.Request.Path.Value ?? "", e);
            await ApiResponses.WriteStatusAsync(ctx, new ApiException(500, "InternalError", $"Internal error occurred: {e.Message}"));
        }
        finally
        {
            _sim.Counters.RequestFinished();
        }
    }

    [LoggerMessage(10, LogLevel.Error, "unhandled error serving {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception e);

    /// <summary>The real server's answer for a path it does not serve.</summary>
    internal static ApiException NotFound() =>
        new(404, "NotFound", "the server could not find the requested resource");

    private Task DispatchAsync(HttpContext ctx, ApiRequest r)
    {
        var method = ctx.Request.Method;
        if (r.Type.IsVirtual)
        {
            return method == "POST" && r.Info.Name.Length == 0
                ? CreateVirtualAsync(r)
                : throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
        }

        if (r.Type.Group == "metrics.k8s.io")
        {
            return method is "GET" ? MetricsAsync(r) : throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        switch (r.Info.Subresource)
        {
            case "log" when method == "GET":
                return LogAsync(r);
            case "exec" or "attach" when method is "GET" or "POST":
                return ExecAsync(r);
            case "eviction" when method == "POST":
                return EvictAsync(r);
            case "binding" when method == "POST":
                return BindAsync(r);
            case "token" when method == "POST":
                return TokenAsync(r);
            case "scale":
                return ScaleAsync(r);
        }

        return (method, r.Info.Verb) switch
        {
            ("GET" or "HEAD", "get") => GetAsync(r),
            ("GET", "list") => ListAsync(r),
            ("GET", "watch") => WatchAsync(r),
            ("POST", "create") when r.Info.Name.Length == 0 => CreateAsync(r),
            ("PUT", "update") => UpdateAsync(r),
            ("PATCH", "patch") => PatchAsync(r),
            ("DELETE", "delete") => DeleteAsync(r),
            ("DELETE", "deletecollection") => DeleteCollectionAsync(r),
            _ => throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource"),
        };
    }
}

/// <summary>One parsed, authenticated and authorized resource request.</summary>
internal sealed record ApiRequest(HttpContext Http, RequestInfo Info, ResourceType Type, UserInfo User)
{
    public string? Query(string key) => Http.Request.Query[key].FirstOrDefault();

    public bool Flag(string key) => Query(key) is "true" or "1";

    public bool DryRun => Http.Request.Query["dryRun"].Any(v => v == "All");

    public CancellationToken Aborted => Http.RequestAborted;
}
