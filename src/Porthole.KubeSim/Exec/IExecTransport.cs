using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Exec;

/// <summary>
/// The channels of one upgraded exec or attach, whatever carries them: WebSocket frames
/// (<see cref="ExecConnection"/>) or SPDY streams (<see cref="Spdy.SpdyExecConnection"/>).
/// </summary>
internal interface IExecTransport : IDisposable
{
    ExecProtocol Protocol { get; }

    /// <summary>Sends data on a channel (<see cref="ExecProtocol.Stdout"/>...).</summary>
    Task SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken ct);

    /// <summary>Writes the final status on the error channel (nothing for a pre-v4 success).</summary>
    Task SendStatusAsync(JsonObject status, CancellationToken ct);

    /// <summary>Delivers each client frame (channel, payload) until the client leaves or <paramref name="ct"/> fires.</summary>
    Task ReceiveAsync(Func<byte, byte[], Task> onFrame, CancellationToken ct);

    /// <summary>Ends the session the way the transport ends it, giving the client a moment to see it.</summary>
    Task CloseAsync(Task receive, TimeProvider time);
}
