using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Tests.Exec;

/// <summary>Requests the real API server refuses before any upgrade: 400 metav1.Status answers.</summary>
public sealed class ExecEndpointValidationTests
{
    [Theory]
    [InlineData("command=ls&stdout=true", "a container name must be specified for pod web, choose one of: [app sidecar]")]
    [InlineData("command=ls&stdout=true&container=db", "container db is not valid for pod web")]
    [InlineData("container=app&stdout=true", "you must specify at least one command for the container")]
    [InlineData("container=app&command=ls", "you must specify at least 1 of stdin, stdout, stderr")]
    [InlineData("container=app&command=ls&stdout=true", "Upgrade request required")]
    public async Task HandleAsync_InvalidRequest_400Status(string query, string message)
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod("nginx", "app", "sidecar"));
        using var http = new HttpClient();
        using var response = await http.PostAsync(host.Url("exec", query), null);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("BadRequest", (string?)status["reason"]);
        Assert.Equal(400, (int?)status["code"]);
        Assert.Equal(message, (string?)status["message"]);
    }

    [Fact]
    public async Task HandleAsync_PodWithoutNode_400NoHostAssigned()
    {
        var pod = ExecTestHost.Pod();
        pod["spec"]!.AsObject().Remove("nodeName");
        await using var host = await ExecTestHost.StartAsync(pod);
        using var http = new HttpClient();
        using var response = await http.GetAsync(host.Url("exec", "command=ls&stdout=true"));
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("pod web does not have a host assigned", (string?)status["message"]);
    }

    [Fact]
    public async Task HandleAsync_SpdyUpgradeWithoutCommonProtocol_403NamesTheAcceptedOnes()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var http = new HttpClient();
        using var request = SpdyUpgrade(host, "v9.channel.k8s.io");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            ["v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"],
            response.Headers.GetValues("X-Accepted-Stream-Protocol-Versions"));
        Assert.Equal(
            "unable to upgrade: unable to negotiate protocol: client supports [v9.channel.k8s.io], server accepts [v5.channel.k8s.io v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io channel.k8s.io]\n",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HandleAsync_SpdyUpgradeWithoutProtocolHeader_400()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var http = new HttpClient();
        using var request = SpdyUpgrade(host);
        using var response = await http.SendAsync(request);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unable to upgrade: X-Stream-Protocol-Version is required", (string?)status["message"]);
    }

    private static HttpRequestMessage SpdyUpgrade(ExecTestHost host, params string[] protocols)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, host.Url("exec", "command=ls&stdout=true"));
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.ParseAdd("SPDY/3.1");
        foreach (var protocol in protocols)
        {
            request.Headers.Add("X-Stream-Protocol-Version", protocol);
        }

        return request;
    }

    [Fact]
    public async Task HandleAsync_OnlySpdyProtocolNamesOffered_403()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var deadline = ExecTestHost.Deadline();
        var e = await Assert.ThrowsAsync<WebSocketException>(() => host.ConnectAsync("exec", "command=ls&stdout=true", deadline.Token, "v3.channel.k8s.io"));

        Assert.Contains("403", e.Message, StringComparison.Ordinal);
    }
}
