using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Logs;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Tests.Logs;

public sealed class LogEndpointErrorTests
{
    private static readonly ResourceType Pods = new ResourceRegistry().Find("", "v1", "pods")!;

    private static async Task<ApiException> Fails(JsonObject pod, string query)
    {
        var ctx = new DefaultHttpContext();
        ctx.Request.QueryString = new QueryString(query);
        ctx.Response.Body = new MemoryStream();
        var store = new ObjectStore(new FakeTimeProvider(LogPods.Start.AddMinutes(1)));
        return await Assert.ThrowsAsync<ApiException>(() => LogEndpoint.HandleAsync(ctx, pod, store, Pods));
    }

    [Fact]
    public async Task HandleAsync_MultiContainerWithoutName_BadRequestListingContainers()
    {
        var e = await Fails(LogPods.Running("web-1", "app", "proxy"), "");

        Assert.Equal(400, e.Code);
        Assert.Equal("BadRequest", e.Reason);
        Assert.Equal("a container name must be specified for pod web-1, choose one of: [app proxy]", e.Message);
    }

    [Fact]
    public async Task HandleAsync_MultiContainerWithInitContainers_ListsThemToo()
    {
        var e = await Fails(LogPods.WithInit(LogPods.Running("web-1", "app", "proxy"), "migrate"), "");

        Assert.Equal("a container name must be specified for pod web-1, choose one of: [app proxy] or one of the init containers: [migrate]", e.Message);
    }

    [Fact]
    public async Task HandleAsync_UnknownContainer_BadRequest()
    {
        var e = await Fails(LogPods.Running("web-1"), "?container=foo");

        Assert.Equal(400, e.Code);
        Assert.Equal("container foo is not valid for pod web-1", e.Message);
    }

    [Fact]
    public async Task HandleAsync_WaitingContainer_WaitingToStart()
    {
        var e = await Fails(LogPods.Waiting("web-1", "ContainerCreating"), "");

        Assert.Equal(400, e.Code);
        Assert.Equal("container \"web\" in pod \"web-1\" is waiting to start: ContainerCreating", e.Message);
        var pull = await Fails(LogPods.Waiting("web-1", "ImagePullBackOff"), "");
        Assert.Equal("container \"web\" in pod \"web-1\" is waiting to start: trying and failing to pull image", pull.Message);
    }

    [Fact]
    public async Task HandleAsync_PreviousWithoutRestart_NotFoundMessage()
    {
        var e = await Fails(LogPods.Running("web-1"), "?previous=true");

        Assert.Equal(400, e.Code);
        Assert.Equal("previous terminated container \"web\" in pod \"web-1\" not found", e.Message);
    }

    [Fact]
    public async Task HandleAsync_SinceSecondsAndSinceTime_InvalidLikeValidatePodLogOptions()
    {
        var e = await Fails(LogPods.Running("web-1"), "?sinceSeconds=10&sinceTime=2026-11-23T20:00:00Z");

        Assert.Equal(422, e.Code);
        Assert.Equal("Invalid", e.Reason);
        Assert.Equal("PodLogOptions \"web-1\" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified", e.Message);
        Assert.Equal("PodLogOptions", e.Details.Str("kind"));
    }

    [Theory]
    [InlineData("?tailLines=-1", "PodLogOptions \"web-1\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0")]
    [InlineData("?limitBytes=0", "PodLogOptions \"web-1\" is invalid: limitBytes: Invalid value: 0: must be greater than 0")]
    [InlineData("?sinceSeconds=0", "PodLogOptions \"web-1\" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0")]
    public async Task HandleAsync_OutOfRangeOptions_Invalid(string query, string message)
    {
        var e = await Fails(LogPods.Running("web-1"), query);

        Assert.Equal(422, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task HandleAsync_UnparsableNumber_BadRequest()
    {
        var e = await Fails(LogPods.Running("web-1"), "?tailLines=ten");

        Assert.Equal(400, e.Code);
    }
}
