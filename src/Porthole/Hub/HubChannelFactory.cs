using System.Text.Json;
using Porthole.Clusters;
using Porthole.Clusters.Caching;
using Porthole.Hub.Channels;
using Porthole.Storage;
using Porthole.Terminal;

namespace Porthole.Hub;

/// <summary>
/// Turns a <c>subscribe</c> into a channel for one connection's user: checks the payload and the
/// cluster before anything is opened, so a bad subscribe costs nothing but an <c>error</c>.
/// </summary>
internal sealed class HubChannelFactory(ClusterRegistry clusters, WatchCache cache, KubeCredential credential, TerminalExecutor terminals, AuditLog audit, TerminalUser user, HubOptions options, TimeProvider time, ILoggerFactory loggers)
{
    public KubeCredential Credential => credential;

    public IHubChannel Create(string name, JsonElement? payload, IHubOutput output)
    {
        var kind = name[..name.IndexOf(':', StringComparison.Ordinal)];
        switch (kind)
        {
            case "watch":
                var watch = HubJson.Read<WatchRequest>(payload, "watch subscribe");
                watch.Validate();
                var cluster = Find(watch.Cluster);
                var key = new WatchKey(cluster.Name, watch.Group ?? "", watch.Version, watch.Resource, watch.Namespace ?? "", watch.LabelSelector ?? "", watch.FieldSelector ?? "");
                return new WatchChannel(name, output, cache, cluster, credential, key);
            case "logs":
                var logs = HubJson.Read<LogRequest>(payload, "logs subscribe");
                logs.Validate();
                return new LogsChannel(name, output, logs, Find(logs.Cluster), credential, cache, options, time, loggers.CreateLogger<LogsChannel>());
            case "terminal":
                var terminal = HubJson.Read<TerminalRequest>(payload, "terminal subscribe");
                terminal.Validate();
                var target = Find(terminal.Cluster);
                var start = new TerminalStart(target.Name, user, terminal.Namespace, terminal.Pod, terminal.Container, terminal.Command, terminal.Cols, terminal.Rows, TerminalRecordings.NewId());
                return new TerminalChannel(name, output, terminals, audit, start);
            default:
                throw new HubProtocolException(HubErrors.UnknownChannel, $"{kind} channels are not available");
        }
    }

    private Cluster Find(string name) =>
        clusters.Find(name) ?? throw new HubProtocolException(HubErrors.UnknownCluster, $"no cluster named \"{name}\"");
}
