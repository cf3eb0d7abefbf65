namespace Porthole.Hub;

/// <summary>The hub's log events (16xx). Never logs payloads: they may carry terminal input.</summary>
internal static partial class HubLog
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Hub {SessionId}: connected as {User}")]
    public static partial void Connected(ILogger logger, string sessionId, string user);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Information, Message = "Hub {SessionId}: closed after {Seconds:0.0} s")]
    public static partial void Disconnected(ILogger logger, string sessionId, double seconds);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Information, Message = "Hub {SessionId}: closing with {Status}: {Reason}")]
    public static partial void ConnectionClosing(ILogger logger, string sessionId, int status, string reason);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Debug, Message = "Hub {SessionId}: connection broke: {Reason}")]
    public static partial void ConnectionBroken(ILogger logger, string sessionId, string reason);

    [LoggerMessage(EventId = 1605, Level = LogLevel.Error, Message = "Hub {SessionId}: channel {Channel} failed")]
    public static partial void ChannelFailed(ILogger logger, string sessionId, string channel, Exception exception);

    [LoggerMessage(EventId = 1606, Level = LogLevel.Warning, Message = "Hub: refused a WebSocket from origin {Origin}")]
    public static partial void OriginRefused(ILogger logger, string origin);

    [LoggerMessage(EventId = 1607, Level = LogLevel.Warning, Message = "Watch {Key}: upstream trouble, retrying in {Seconds:0.0} s: {Reason}")]
    public static partial void WatchRetry(ILogger logger, string key, double seconds, string reason);

    [LoggerMessage(EventId = 1608, Level = LogLevel.Information, Message = "Watch {Key}: resource version expired (410), relisting")]
    public static partial void WatchExpired(ILogger logger, string key);

    [LoggerMessage(EventId = 1609, Level = LogLevel.Information, Message = "Watch {Key}: ended for its subscribers: {Code} {Reason}")]
    public static partial void WatchEnded(ILogger logger, string key, string code, string reason);

    [LoggerMessage(EventId = 1610, Level = LogLevel.Debug, Message = "Logs {Pod}/{Container}: stream ended: {Reason}")]
    public static partial void LogStreamEnded(ILogger logger, string pod, string container, string reason);

    [LoggerMessage(EventId = 1611, Level = LogLevel.Warning, Message = "Cluster {Cluster}: {Kind} for a watch failed, access is asked again next time: {Reason}")]
    public static partial void AccessReviewFailed(ILogger logger, string cluster, string kind, string reason);

    [LoggerMessage(EventId = 1612, Level = LogLevel.Information, Message = "Watch {Key}: a subscriber lost access and was ended")]
    public static partial void SubscriberRevoked(ILogger logger, string key);

    [LoggerMessage(EventId = 1613, Level = LogLevel.Information, Message = "Watch {Key}: the server's identity may not list and watch it; watching as the subscriber instead (not shared with other users)")]
    public static partial void WatchAsUser(ILogger logger, string key);
}
