namespace Porthole.Hub.Channels;

/// <summary>The payload of <c>subscribe</c> on a <c>logs:</c> channel.</summary>
internal sealed record LogRequest(
    string Cluster,
    string Namespace,
    string? Pod,
    string? LabelSelector,
    LogOwner? Owner,
    string? Container,
    bool? Follow,
    long? TailLines,
    long? SinceSeconds,
    bool? Timestamps,
    bool? Previous,
    string? Filter)
{
    public void Validate()
    {
        var watch = new WatchRequest(Cluster, "", "v1", "pods", Namespace, LabelSelector, null);
        watch.Validate();
        if (string.IsNullOrEmpty(Namespace))
        {
            throw new HubProtocolException(HubErrors.BadPayload, "\"namespace\" is required");
        }

        if (new[] { !string.IsNullOrEmpty(Pod), !string.IsNullOrEmpty(LabelSelector), Owner is not null }.Count(given => given) != 1)
        {
            throw new HubProtocolException(HubErrors.BadPayload, "give exactly one of \"pod\", \"labelSelector\" and \"owner\"");
        }

        Owner?.Validate();

        WatchRequest.ObjectName(Pod, "pod");
        WatchRequest.ObjectName(Container, "container");

        if (TailLines < 0 || SinceSeconds <= 0)
        {
            throw new HubProtocolException(HubErrors.BadPayload, "\"tailLines\" must be 0 or more and \"sinceSeconds\" more than 0");
        }
    }

    /// <summary>The query of one container's log request.</summary>
    public string Query(string container, bool joinedLater)
    {
        var q = $"container={Uri.EscapeDataString(container)}";
        if (Follow == true)
        {
            q += "&follow=true";
        }

        if (Timestamps == true)
        {
            q += "&timestamps=true";
        }

        if (Previous == true)
        {
            q += "&previous=true";
        }

        if (!joinedLater && TailLines is { } tail)
        {
            q += $"&tailLines={tail}";
        }

        if (!joinedLater && SinceSeconds is { } since)
        {
            q += $"&sinceSeconds={since}";
        }

        return q;
    }
}
