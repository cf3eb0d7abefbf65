using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Discovery;
using Porthole.KubeSim.OpenApi;
using Porthole.KubeSim.Tests.Discovery;
using Porthole.KubeSim.Tests.Kubectl;

namespace Porthole.KubeSim.Tests.OpenApi;

/// <summary>
/// Serves the discovery and OpenAPI documents over plain HTTP and runs the real kubectl
/// explain, create and apply against them (kubectl 1.30–1.33 are installed on every machine; a
/// missing binary fails the test).
/// </summary>
public sealed class KubectlTests
{
    private const string DeploymentYaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: nginx
                image: nginx
        """;

    [Theory]
    [InlineData("1.30")]
    [InlineData("1.31")]
    [InlineData("1.32")]
    [InlineData("1.33")]
    public async Task Explain_DeploymentReplicasAndCrdField_PrintsSchema(string version)
    {
        var kubectl = KubectlRunner.Locate("kubectl." + version);
        var registry = new ResourceRegistry();
        registry.SetCustom("stable.example.com", "crontabs", CrdResources.FromCrd(CrdFixtures.CronTab()));
        var requests = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var app = Serve(registry, requests);
        var address = await StartAsync(app);

        var (code, output) = await RunKubectl(kubectl, address, null, "explain", "deployments.spec.replicas");
        Assert.True(code == 0, output);
        Assert.Contains("GROUP:      apps", output);
        Assert.Contains("FIELD: replicas <integer>", output);
        Assert.Contains("Number of desired pods.", output);

        (code, output) = await RunKubectl(kubectl, address, null, "explain", "crontabs.spec.cronSpec");
        Assert.True(code == 0, output);
        Assert.Contains("KIND:       CronTab", output);
        Assert.Contains("The cron schedule of the job.", output);
        (code, output) = await RunKubectl(kubectl, address, null, "explain", "pods.spec.containers");
        Assert.True(code == 0, output);
        Assert.Contains("FIELD: containers <[]Container>", output);

        (code, output) = await RunKubectl(kubectl, address, null, "api-resources");
        Assert.True(code == 0, output);
        Assert.Matches(@"deployments\s+deploy\s+apps/v1\s+true\s+Deployment", output);
        Assert.Matches(@"crontabs\s+ct\s+stable.example.com/v1\s+true\s+CronTab", output);
        Assert.Matches(@"namespaces\s+ns\s+v1\s+false\s+Namespace", output);
        Assert.DoesNotContain(requests, r => r.Contains("/openapi/v2", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, r => r.StartsWith("GET /apis/apps/v1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1.30")]
    [InlineData("1.33")]
    public async Task Create_DefaultValidation_DelegatesToServerWithoutOpenApiV2(string version)
    {
        var kubectl = KubectlRunner.Locate("kubectl." + version);
        var requests = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var app = Serve(new ResourceRegistry(), requests);
        var address = await StartAsync(app);

        var (code, output) = await RunKubectl(kubectl, address, DeploymentYaml, "create", "-f", "-", "--namespace=default");

        Assert.True(code == 0, output + string.Join("\n", requests));
        Assert.Contains("deployment.apps/web created", output);
        Assert.Contains(requests, r => r.StartsWith("POST /apis/apps/v1/namespaces/default/deployments?", StringComparison.Ordinal) && r.Contains("fieldValidation=Strict", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, r => r.Contains("/openapi/v2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1.30")]
    [InlineData("1.33")]
    public async Task Apply_ChangedReplicas_SendsStrategicMergePatchFromOpenApiV3(string version)
    {
        var kubectl = KubectlRunner.Locate("kubectl." + version);
        var requests = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var app = Serve(new ResourceRegistry(), requests);
        var address = await StartAsync(app);

        var (code, output) = await RunKubectl(kubectl, address, DeploymentYaml, "apply", "-f", "-", "--namespace=default");
        Assert.True(code == 0, output);
        (code, output) = await RunKubectl(kubectl, address, DeploymentYaml.Replace("replicas: 2", "replicas: 3", StringComparison.Ordinal), "apply", "-f", "-", "--namespace=default");

        Assert.True(code == 0, output);
        Assert.DoesNotContain("warning", output, StringComparison.OrdinalIgnoreCase);
        var patch = Assert.Single(requests, r => r.StartsWith("PATCH-BODY", StringComparison.Ordinal));
        Assert.StartsWith("PATCH-BODY application/strategic-merge-patch+json", patch);
        Assert.Contains("\"replicas\":3", patch);
        Assert.DoesNotContain(requests, r => r.Contains("/openapi/v2", StringComparison.Ordinal));
    }

    private static async Task<string> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    private static WebApplication Serve(ResourceRegistry registry, System.Collections.Concurrent.ConcurrentQueue<string> requests)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var objects = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var discovery = new DiscoveryDocuments(registry);
        var openApi = new OpenApiDocuments(registry);
        app.Run(async context =>
        {
            requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            var path = context.Request.Path.Value!.Trim('/');
            if (await ServeObjects(context, path, objects, requests))
            {
                return;
            }

            var segments = path.Split('/');
            var aggregated = DiscoveryNegotiation.Negotiate(context.Request.Headers.Accept.ToString());
            var doc = path switch
            {
                "version" => DiscoveryDocuments.Version,
                "api" when aggregated is not null => discovery.Aggregated(core: true, aggregated),
                "apis" when aggregated is not null => discovery.Aggregated(core: false, aggregated),
                "apis" => discovery.GroupList(),
                "openapi/v3" => openApi.V3Index(),
                _ when path.StartsWith("openapi/v3/", StringComparison.Ordinal) => openApi.V3(path["openapi/v3/".Length..]),
                _ when segments is ["api", var v] => discovery.ResourceList("", v),
                _ when segments is ["apis", var g, var v] => discovery.ResourceList(g, v),
                _ => null,
            };
            if (path == "api" && doc is null)
            {
                await context.Response.WriteAsJsonAsync(DiscoveryDocuments.CoreVersions(context.Request.Host.Value!));
                return;
            }

            if (doc is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = doc.ContentType;
            context.Response.Headers.ETag = doc.ETag;
            context.Response.Headers.Vary = "Accept";
            await context.Response.Body.WriteAsync(doc.Body);
        });
        return app;
    }

    /// <summary>Just enough object storage for kubectl create/apply: POST stores, GET returns, PATCH records.</summary>
    private static async Task<bool> ServeObjects(HttpContext context, string path, System.Collections.Concurrent.ConcurrentDictionary<string, string> objects, System.Collections.Concurrent.ConcurrentQueue<string> requests)
    {
        if (!path.Contains("/namespaces/", StringComparison.Ordinal))
        {
            return false;
        }

        context.Response.ContentType = "application/json";
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        switch (context.Request.Method)
        {
            case "POST":
                var name = System.Text.Json.Nodes.JsonNode.Parse(body)!["metadata"]!["name"]!.GetValue<string>();
                objects[$"{path}/{name}"] = body;
                context.Response.StatusCode = StatusCodes.Status201Created;
                await context.Response.WriteAsync(body);
                return true;
            case "PATCH":
                requests.Enqueue($"PATCH-BODY {context.Request.ContentType} {body}");
                await context.Response.WriteAsync(objects[path]);
                return true;
            default:
                if (objects.TryGetValue(path, out var stored))
                {
                    await context.Response.WriteAsync(stored);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    await context.Response.WriteAsync(ApiException.NotFound("deployments.apps", path.Split('/')[^1]).ToStatus().ToJsonString());
                }

                return true;
        }
    }

    private static async Task<(int Code, string Output)> RunKubectl(string kubectl, string server, string? stdin, params string[] args)
    {
        var cache = Directory.CreateTempSubdirectory("kubesim-kubectl-");
        try
        {
            var start = new ProcessStartInfo(kubectl)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            start.ArgumentList.Add("--server=" + server);
            start.ArgumentList.Add("--cache-dir=" + cache.FullName);
            start.Environment["KUBECONFIG"] = Path.Combine(cache.FullName, "none");
            using var process = Process.Start(start)!;
            await process.StandardInput.WriteAsync(stdin ?? "");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            cache.Delete(recursive: true);
        }
    }
}
