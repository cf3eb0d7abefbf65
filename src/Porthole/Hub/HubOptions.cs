namespace Porthole.Hub;

/// <summary>
/// Limits and timings of the /ws hub (docs/protocols/hub.md). The defaults are the protocol's;
/// tests shorten the timings.
/// </summary>
public sealed record HubOptions
{
    /// <summary>The server sends <c>ping</c> this often.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection whose last <c>pong</c> is older than this is closed.</summary>
    public TimeSpan PongTimeout { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>Client messages per second (token bucket refill).</summary>
    public int RateLimit { get; init; } = 100;

    /// <summary>Client messages allowed in a burst (token bucket size).</summary>
    public int RateBurst { get; init; } = 200;

    /// <summary>Messages refused by the rate limit within one second before the connection is closed.</summary>
    public int RateAbuseLimit { get; init; } = 400;

    /// <summary>Largest client message; a bigger one closes the connection with 1009.</summary>
    public int MaxMessageBytes { get; init; } = 1024 * 1024;

    /// <summary>Bytes queued for one client before it counts as too slow and is closed.</summary>
    public long SendQueueBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Bytes of watch snapshots one client may have queued on top of <see cref="SendQueueBytes"/>:
    /// a snapshot is what the client just asked for, not a sign that it is slow (10,000 pods are
    /// about 5 MiB), but it is still bounded so subscribing again and again cannot grow memory.
    /// </summary>
    public long SnapshotQueueBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Longest a single frame may take to go out before the client counts as not reading.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Channels one connection may have open at once.</summary>
    public int MaxChannels { get; init; } = 100;

    /// <summary>How long a shared upstream watch stays open after its last subscriber left.</summary>
    public TimeSpan WatchLinger { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an access review's answer is kept (at most 30 s by the protocol), and how often
    /// a shared watch re-checks that each of its subscribers may still list and watch.
    /// </summary>
    public TimeSpan AccessRecheck { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most access answers cached at once (per cluster, subject, verb, resource, namespace).</summary>
    public int AccessCacheEntries { get; init; } = 10_000;

    /// <summary>Live watch events arriving within this window go out as one BATCH payload.</summary>
    public TimeSpan WatchBatchWindow { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>A BATCH goes out at once when it holds this many events...</summary>
    public int WatchBatchEvents { get; init; } = 256;

    /// <summary>...or this many bytes of event payloads (a frame then stays under the 85 KB large-object heap threshold).</summary>
    public int WatchBatchBytes { get; init; } = 64 * 1024;

    /// <summary>Most objects in one SNAPSHOT frame; larger lists go out in several.</summary>
    public int SnapshotBatch { get; init; } = 500;

    /// <summary>Log lines are sent at least this often while they arrive.</summary>
    public TimeSpan LogBatchDelay { get; init; } = TimeSpan.FromMilliseconds(40);

    /// <summary>A log batch is sent once it holds this many bytes of text.</summary>
    public int LogBatchBytes { get; init; } = 32 * 1024;

    /// <summary>Longest a log filter regex may take on one line.</summary>
    public TimeSpan FilterTimeout { get; init; } = TimeSpan.FromMilliseconds(50);
}
