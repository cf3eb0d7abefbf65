namespace Porthole.Terminal;

/// <summary>What a terminal tells its front end (SockJS or the hub's terminal channel).</summary>
public abstract record TerminalEvent
{
    /// <summary>Terminal output, decoded as UTF-8 (a sequence split between reads is kept whole).</summary>
    public sealed record Output(string Data) : TerminalEvent;

    /// <summary>A notice for the user, e.g. the coming end of the session lifetime or of its idle time.</summary>
    public sealed record Toast(string Message) : TerminalEvent;

    /// <summary>The process ended with this exit code (last event).</summary>
    public sealed record Exited(int ExitCode) : TerminalEvent;

    /// <summary>Porthole ended the session on purpose (last event): <see cref="Reason"/> is <see cref="IdleTimeout"/> or <see cref="Lifetime"/>.</summary>
    public sealed record Ended(string Reason, string Message) : TerminalEvent
    {
        public const string IdleTimeout = "idle timeout";
        public const string Lifetime = "lifetime";
    }

    /// <summary>The exec failed or was lost (last event).</summary>
    public sealed record Failed(string Reason) : TerminalEvent;
}
