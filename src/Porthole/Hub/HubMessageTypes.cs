namespace Porthole.Hub;

/// <summary>The envelope's <c>type</c> values.</summary>
public static class HubMessageTypes
{
    public const string Subscribe = "subscribe";
    public const string Unsubscribe = "unsubscribe";
    public const string ResourceWatch = "resource_watch";
    public const string LogStream = "log_stream";
    public const string TerminalInput = "terminal_input";
    public const string TerminalOutput = "terminal_output";
    public const string TerminalResize = "terminal_resize";
    public const string Error = "error";
    public const string Ping = "ping";
    public const string Pong = "pong";
}
