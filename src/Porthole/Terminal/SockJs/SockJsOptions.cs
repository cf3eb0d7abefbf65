namespace Porthole.Terminal.SockJs;

/// <summary>The SockJS server's constants (sockjs-node's defaults).</summary>
public sealed record SockJsOptions
{
    public string Prefix { get; init; } = "/api/sockjs";

    /// <summary>A heartbeat frame when nothing else was sent for this long.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>A session without a receiving connection for this long is gone.</summary>
    public TimeSpan DisconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>An xhr_streaming response ends after this many bytes; the client opens the next.</summary>
    public int ResponseLimit { get; init; } = 128 * 1024;
}
