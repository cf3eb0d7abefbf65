namespace Porthole.Clusters;

/// <summary>The cluster layer's log events (12xx).</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Cluster {Cluster}: circuit opened after repeated failures; calls are refused for {Seconds} s")]
    public static partial void CircuitOpened(ILogger logger, string cluster, double seconds);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Cluster {Cluster}: circuit half-open, one probe call may go through")]
    public static partial void CircuitHalfOpened(ILogger logger, string cluster);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Cluster {Cluster}: circuit closed, the API server answers again")]
    public static partial void CircuitClosed(ILogger logger, string cluster);
}
