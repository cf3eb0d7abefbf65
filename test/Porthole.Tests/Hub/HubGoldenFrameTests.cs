using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Porthole.Clusters.Caching;
using Porthole.Hub;
using Porthole.Hub.Channels;

namespace Porthole.Tests.Hub;

/// <summary>
/// The example frames of docs/protocols/hub.md marked <c>golden:</c>: server frames must be
/// produced byte for byte by the hub's writers; client frames must be accepted as documented.
/// </summary>
public sealed partial class HubGoldenFrameTests
{
    private const string Session = "0123456789abcdef0123456789abcdef";
    private const string Recording = "5f0c1b7e9a2d4c3b8e6f1a0d2c4b6e8f";
    private static readonly DateTimeOffset At = new(2026, 11, 23, 22, 0, 0, TimeSpan.Zero);
    private static readonly Lazy<Dictionary<string, string>> Golden = new(Load);

    private static readonly string[] ServerFrameNames = ["ping", "error-connection", "error-channel", "watch-snapshot", "watch-modified", "watch-batch", "watch-status-unreachable", "watch-status-connected", "log-stream", "log-stream-end", "terminal-output", "terminal-notice", "terminal-exit", "terminal-ended"];

    public static TheoryData<string> ServerFrames => [.. ServerFrameNames];

    [Theory]
    [MemberData(nameof(ServerFrames))]
    public void Write_ServerFrame_MatchesGolden(string name)
    {
        var frame = Encoding.UTF8.GetString(Produce(name));
        Assert.Equal(Golden.Value[name], frame);
    }

    [Fact]
    public void Docs_EveryGoldenFrame_IsTested()
    {
        var client = new[] { "subscribe-watch", "subscribe-logs", "subscribe-logs-owner", "subscribe-terminal", "unsubscribe", "terminal-input", "terminal-resize" };
        Assert.Equal(Golden.Value.Keys.Order(), ServerFrameNames.Concat(client).Order());
    }

    [Fact]
    public void Parse_SubscribeWatch_AcceptedAsDocumented()
    {
        var message = HubFrame.Parse(Encoding.UTF8.GetBytes(Golden.Value["subscribe-watch"]));
        Assert.Equal(("subscribe", "watch:pods"), (message.Type, message.Channel));
        var request = HubJson.Read<WatchRequest>(message.Payload, "watch");
        request.Validate();
        Assert.Equal(new WatchRequest("prod", "", "v1", "pods", "team-a", "app=web", "status.phase=Running"), request);
    }

    [Fact]
    public void Parse_SubscribeLogs_AcceptedAsDocumented()
    {
        var message = HubFrame.Parse(Encoding.UTF8.GetBytes(Golden.Value["subscribe-logs"]));
        var request = HubJson.Read<LogRequest>(message.Payload, "logs");
        request.Validate();
        Assert.Equal("app=web", request.LabelSelector);
        Assert.True(LogFilter.Parse(request.Filter, TimeSpan.FromSeconds(1)).Matches("a warn line"));
        Assert.Equal("container=web&follow=true&timestamps=true&tailLines=100", request.Query("web", joinedLater: false));
        Assert.Equal("container=web&follow=true&timestamps=true", request.Query("web", joinedLater: true));
    }

    [Fact]
    public void Parse_SubscribeLogsByOwner_AcceptedAsDocumented()
    {
        var message = HubFrame.Parse(Encoding.UTF8.GetBytes(Golden.Value["subscribe-logs-owner"]));
        var request = HubJson.Read<LogRequest>(message.Payload, "logs");
        request.Validate();
        Assert.Equal((new LogOwner("Deployment", "web"), null, null), (request.Owner, request.Pod, request.LabelSelector));
    }

    [Fact]
    public void FormatSelector_MatchLabelsAndEveryOperator_LabelSelectorString()
    {
        using var selector = System.Text.Json.JsonDocument.Parse("""
            {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["a","b"]},{"key":"env","operator":"NotIn","values":["dev"]},{"key":"owner","operator":"Exists"},{"key":"canary","operator":"DoesNotExist"}]}
            """);
        Assert.Equal("app=web,tier in (a,b),env notin (dev),owner,!canary", LogOwner.Format(selector.RootElement));
    }

    [Fact]
    public void Parse_TerminalFrames_AcceptedAsDocumented()
    {
        var subscribe = HubFrame.Parse(Encoding.UTF8.GetBytes(Golden.Value["subscribe-terminal"]));
        HubJson.Read<TerminalRequest>(subscribe.Payload, "terminal").Validate();
        var input = HubFrame.Parse(Encoding.UTF8.GetBytes(Golden.Value["terminal-input"]));
        Assert.Equal("ls -l\r", HubJson.Read<TerminalInput>(input.Payload, "input").Data);
        var resize = HubFrame.Parse(Encoding.UTF8.GetBytes(Golden.Value["terminal-resize"]));
        Assert.Equal(new TerminalResize(100, 30), HubJson.Read<TerminalResize>(resize.Payload, "resize"));
        var unsubscribe = HubFrame.Parse(Encoding.UTF8.GetBytes(Golden.Value["unsubscribe"]));
        Assert.Equal(("unsubscribe", "watch:pods", null), (unsubscribe.Type, unsubscribe.Channel, unsubscribe.Payload));
    }

    private static byte[] Produce(string name) => name switch
    {
        "ping" => HubFrame.Write("ping", Session, null, default, At),
        "error-connection" => HubFrame.Write("error", Session, null, HubFrame.ErrorPayload("bad_json", "message is not valid JSON"), At),
        "error-channel" => HubFrame.Write("error", Session, "watch:pods", HubFrame.ErrorPayload("forbidden", "Kubernetes API answered 403 Forbidden: pods is forbidden"), At),
        "watch-snapshot" => Watch(WatchPayloads.Snapshot([WatchPayloads.Cache(ConfigMap("41", "v"))], "42", continued: false)),
        "watch-modified" => Watch(WatchPayloads.Event("MODIFIED", WatchPayloads.Cache(ConfigMap("43", "w")))),
        "watch-batch" => Watch(WatchPayloads.Batch(
            [WatchPayloads.Event("ADDED", WatchPayloads.Cache(ConfigMap("44", "v", "b", "u-2"))), WatchPayloads.Event("DELETED", WatchPayloads.Cache(ConfigMap("45", "w")))], "45")),
        "watch-status-unreachable" => Watch(WatchPayloads.StatusPayload("unreachable", "cannot reach the API server: Connection refused", "43")),
        "watch-status-connected" => Watch(WatchPayloads.StatusPayload("connected", null, "43")),
        "log-stream" => HubFrame.Write("log_stream", Session, "logs:web", LogBatcher.Payload(
            [new LogLine("web-1", "nginx", "GET /healthz 200", "2026-11-23T21:59:59.123456789Z"), new LogLine("web-2", "nginx", "GET / 200", null)], end: false), At),
        "log-stream-end" => HubFrame.Write("log_stream", Session, "logs:web", LogBatcher.Payload([], end: true), At),
        "terminal-output" => HubFrame.Write("terminal_output", Session, "terminal:1", TerminalChannel.OutputPayload("total 0\r\n"), At),
        "terminal-notice" => HubFrame.Write("terminal_output", Session, "terminal:1", TerminalChannel.NoticePayload("This terminal session closes in 1 min unless you type: it closes after 30 min without input."), At),
        "terminal-exit" => HubFrame.Write("terminal_output", Session, "terminal:1", TerminalChannel.ExitPayload(3, Recording), At),
        "terminal-ended" => HubFrame.Write("terminal_output", Session, "terminal:1", TerminalChannel.EndedPayload(
            new Porthole.Terminal.TerminalEvent.Ended(Porthole.Terminal.TerminalEvent.Ended.IdleTimeout, "The terminal session was closed after 30 min without input."), Recording), At),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static byte[] Watch(byte[] payload) => HubFrame.Write("resource_watch", Session, "watch:cm", payload, At);

    /// <summary>A ConfigMap as the API server sends it, managedFields included (the cache trims them).</summary>
    private static JsonObject ConfigMap(string resourceVersion, string value, string name = "a", string uid = "u-1") => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "team-a",
            ["uid"] = uid,
            ["resourceVersion"] = resourceVersion,
            ["managedFields"] = new JsonArray(new JsonObject { ["manager"] = "kubectl", ["operation"] = "Apply" }),
        },
        ["data"] = new JsonObject { ["k"] = value },
    };

    private static Dictionary<string, string> Load()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "docs", "protocols", "hub.md")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new FileNotFoundException("docs/protocols/hub.md above " + AppContext.BaseDirectory);
        }

        var text = File.ReadAllText(Path.Combine(dir, "docs", "protocols", "hub.md"));
        return GoldenBlock().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());
    }

    [GeneratedRegex(@"<!-- golden: ([a-z-]+) -->\s*```json\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex GoldenBlock();
}
