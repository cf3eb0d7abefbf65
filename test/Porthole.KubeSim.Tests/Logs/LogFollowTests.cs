using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;
using Porthole.KubeSim.Logs;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Tests.Logs;

/// <summary>follow=true over a real socket: a tiny Kestrel app routes pods/log to the endpoint.</summary>
public sealed partial class LogFollowTests : IAsyncLifetime
{
    private static readonly ResourceType Pods = new ResourceRegistry().Find("", "v1", "pods")!;
    private readonly ObjectStore _store = new(TimeProvider.System);
    private readonly LogGenerator _generator = new(TimeSpan.FromMilliseconds(50));
    private WebApplication? _app;
    private HttpClient? _client;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapGet("/api/v1/namespaces/{ns}/pods/{name}/log", async (HttpContext ctx, string ns, string name) =>
        {
            var pod = _store.Get(Pods, ns, name)?.Parse();
            try
            {
                if (pod is null)
                {
                    throw ApiException.NotFound(Pods, name);
                }

                await LogEndpoint.HandleAsync(ctx, pod, _store, Pods, _generator);
            }
            catch (ApiException e)
            {
                ctx.Response.StatusCode = e.Code;
                await ctx.Response.WriteAsJsonAsync(e.ToStatus());
            }
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private JsonObject CreateRunningPod(string name)
    {
        var pod = LogPods.Running(name);
        pod["status"]!["containerStatuses"]![0]!["state"]!["running"]!["startedAt"] = SimFormat.Time(DateTimeOffset.UtcNow.AddSeconds(-2));
        return _store.Create(Pods, pod).Parse();
    }

    [Fact]
    public async Task HandleAsync_Follow_StreamsNewLinesUntilPodDeleted()
    {
        CreateRunningPod("tailed");
        using var response = await _client!.GetAsync("/api/v1/namespaces/default/pods/tailed/log?follow=true&tailLines=1", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var seqs = new List<long>();
        for (var i = 0; i < 15; i++)
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotNull(line);
            seqs.Add(long.Parse(Seq().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(Enumerable.Range(0, 15).Select(i => seqs[0] + i), seqs);
        _store.Remove(Pods, "default", "tailed");
        string? rest;
        do
        {
            rest = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        while (rest is not null);
    }

    [Fact]
    public async Task HandleAsync_FollowUntilContainerStops_EndsAtFinish()
    {
        CreateRunningPod("stopping");
        using var response = await _client!.GetAsync("/api/v1/namespaces/default/pods/stopping/log?follow=true", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.NotNull(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));

        _store.Mutate(Pods, "default", "stopping", p =>
        {
            var status = p["status"]!["containerStatuses"]![0]!.AsObject();
            var started = status.Str("state", "running", "startedAt");
            status["state"] = new JsonObject
            {
                ["terminated"] = new JsonObject { ["exitCode"] = 0, ["reason"] = "Completed", ["startedAt"] = started, ["finishedAt"] = SimFormat.Time(DateTimeOffset.UtcNow) },
            };
            return true;
        });

        var body = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("\n\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_ErrorOverHttp_StatusJson()
    {
        var pod = LogPods.Running("multi", "a", "b");
        _store.Create(Pods, pod);

        using var response = await _client!.GetAsync("/api/v1/namespaces/default/pods/multi/log");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("a container name must be specified for pod multi, choose one of: [a b]", status.Str("message"));
    }

    [GeneratedRegex(@"seq=(\d+)")]
    private static partial Regex Seq();
}
