namespace Porthole.Hub.Channels;

/// <summary>The payload of <c>subscribe</c> on a <c>terminal:</c> channel.</summary>
internal sealed record TerminalRequest(string Cluster, string Namespace, string Pod, string Container, IReadOnlyList<string>? Command, int Cols, int Rows)
{
    public void Validate()
    {
        new WatchRequest(Cluster, "", "v1", "pods", Namespace, null, null).Validate();
        WatchRequest.ObjectName(Pod, "pod");
        WatchRequest.ObjectName(Container, "container");
        if (Cols is < 1 or > 1000 || Rows is < 1 or > 1000)
        {
            throw new HubProtocolException(HubErrors.BadPayload, "\"cols\" and \"rows\" must be 1 to 1000");
        }

        if (Command is { } command && (command.Count == 0 || command.Any(string.IsNullOrEmpty)))
        {
            throw new HubProtocolException(HubErrors.BadPayload, "\"command\" must be a non-empty list of non-empty strings");
        }
    }
}

/// <summary><c>terminal_input</c> payload.</summary>
internal sealed record TerminalInput(string Data);

/// <summary><c>terminal_resize</c> payload.</summary>
internal sealed record TerminalResize(int Cols, int Rows);
