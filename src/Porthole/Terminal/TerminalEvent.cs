namespace Porthole.Terminal;

/// <summary>What a terminal tells its front end (SockJS or the hub's terminal channel).</summary>
public abstract record TerminalEvent
{
    /// <summary>Terminal output, decoded as UTF-8 (a sequence split between reads is kept whole).</summary>
    public sealed record Output(string Data) : TerminalEvent;

    /// <summary>A notice for the user, e.g. the coming end of the session lifetime.</summary>
    public sealed record Toast(string Message) : TerminalEvent;

    /// <summary>The process ended with this exit code (last event).</summary>
    public sealed record Exited(int ExitCode) : TerminalEvent;

    /// <summary>The exec failed or was ended (last event).</summary>
    public sealed record Failed(string Reason) : TerminalEvent;
}
