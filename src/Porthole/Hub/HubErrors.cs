namespace Porthole.Hub;

/// <summary>The <c>code</c> values of <c>error</c> frames (docs/protocols/hub.md lists them).</summary>
public static class HubErrors
{
    public const string BadJson = "bad_json";
    public const string BadMessage = "bad_message";
    public const string BadPayload = "bad_payload";
    public const string BinaryFrame = "binary_frame";
    public const string UnknownType = "unknown_type";
    public const string UnknownChannel = "unknown_channel";
    public const string AlreadySubscribed = "already_subscribed";
    public const string NotSubscribed = "not_subscribed";
    public const string TooManyChannels = "too_many_channels";
    public const string RateLimited = "rate_limited";
    public const string MessageTooBig = "message_too_big";
    public const string UnknownCluster = "unknown_cluster";
    public const string BadSelector = "bad_selector";
    public const string BadFilter = "bad_filter";
    public const string Forbidden = "forbidden";
    public const string Unauthorized = "unauthorized";
    public const string NotFound = "not_found";
    public const string Upstream = "upstream_error";
    public const string Unavailable = "unavailable";
}
