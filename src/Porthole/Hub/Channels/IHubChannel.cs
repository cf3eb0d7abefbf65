using System.Text.Json;

namespace Porthole.Hub.Channels;

/// <summary>One subscribed channel of a hub connection.</summary>
internal interface IHubChannel
{
    /// <summary>
    /// Streams to the client until the channel ends by itself or <paramref name="cancellationToken"/>
    /// fires (unsubscribe, connection closing). A <see cref="HubProtocolException"/> ends the
    /// channel with an <c>error</c> frame on it.
    /// </summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>A client message addressed to this channel other than subscribe/unsubscribe.</summary>
    ValueTask InputAsync(string type, JsonElement? payload, CancellationToken cancellationToken) =>
        throw new HubProtocolException(HubErrors.UnknownType, $"{type} is not accepted on this channel");
}

/// <summary>Where a channel sends its frames: the connection's bounded queue.</summary>
internal interface IHubOutput
{
    /// <summary>
    /// Queues a frame without waiting (fan-out); false when the connection is closing as too slow.
    /// A watch <paramref name="snapshot"/> counts against the snapshot allowance.
    /// </summary>
    bool TrySend(string type, string channel, byte[] payload, bool snapshot = false);

    /// <summary>Queues a frame once there is room (flow control for streams).</summary>
    ValueTask<bool> SendAsync(string type, string channel, byte[] payload, CancellationToken cancellationToken);
}
