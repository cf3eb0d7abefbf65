using Porthole.Storage;

namespace Porthole.Terminal.SockJs;

/// <summary>
/// kubecube-webconsole's terminal over a SockJS session: the first message must be
/// <c>bind</c> with a shell session id this sign-in session was given; then <c>stdin</c> and
/// <c>resize</c> in, <c>stdout</c> and <c>toast</c> out, a raw <c>ping</c> answered by a raw
/// <c>pong</c>. Exit 0 closes with <c>c[1,"process exited"]</c>, anything else with
/// <c>c[2,"&lt;reason&gt;"]</c>; a session Porthole ends (idle timeout, lifetime) gets a last
/// <c>toast</c> saying why, then that close.
/// </summary>
internal sealed partial class SockJsTerminalHandler(ShellTickets tickets, TerminalExecutor executor, AuditLog audit, ILogger<SockJsTerminalHandler> logger) : ISockJsHandler
{
    public const int DefaultCols = 80;
    public const int DefaultRows = 24;

    public async Task RunAsync(SockJsSession session)
    {
        var ct = session.Aborted;
        try
        {
            var first = await NextTerminalMessageAsync(session, ct);
            if (first is null)
            {
                return;
            }

            if (TerminalMessage.Parse(first, out var error) is not { } bind || bind.Op != "bind")
            {
                session.Close(2, error.Length > 0 ? error : "the first message must be bind");
                return;
            }

            ShellBind bound;
            try
            {
                bound = await tickets.TryBindAsync(bind.SessionID, session.Owner, ct);
            }
            catch (StoreUnavailableException e)
            {
                LogBindFailed(logger, session.Owner.Name, e.Message);
                session.Close(2, "porthole's store is unavailable; try again shortly");
                return;
            }

            var (refused, ticket) = (bound.Error, bound.Ticket);
            if (ticket is null)
            {
                LogBindRefused(logger, session.Owner.Name, refused);
                session.Close(2, refused switch
                {
                    ShellBindError.Expired => "shell session id expired",
                    ShellBindError.OtherSession => "shell session id belongs to another session",
                    _ => "unknown or already used shell session id",
                });
                return;
            }

            await RunTerminalAsync(session, ticket, bind, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away: the terminal was disposed on the way out.
        }
    }

    private async Task RunTerminalAsync(SockJsSession session, ShellTicket ticket, TerminalMessage bind, CancellationToken ct)
    {
        TerminalSession terminal;
        try
        {
            terminal = await executor.StartAsync(new TerminalStart(ticket.Cluster, ticket.Owner, ticket.Namespace, ticket.Pod, ticket.Container, ticket.Command,
                bind.Cols > 0 ? bind.Cols : DefaultCols, bind.Rows > 0 ? bind.Rows : DefaultRows, ticket.Id), ct);
        }
        catch (TerminalStartException e)
        {
            Audit(ticket, $"error {e.Status}", null);
            session.Close(2, e.Message);
            return;
        }

        LogBound(logger, ticket.Owner.Name, ticket.Cluster, ticket.Namespace, ticket.Pod, ticket.Container, ticket.Audit.WebUser ?? "-", ticket.Audit.Platform ?? "-",
            ticket.Audit.RemoteIp ?? "-", ticket.Audit.UserAgent ?? "-", terminal.RecordingId ?? "-");
        // Audited once, before the client learns the end (or after, when the client went away).
        var audited = 0;
        void Finish(string result)
        {
            if (Interlocked.Exchange(ref audited, 1) == 0)
            {
                Audit(ticket, result, terminal);
            }
        }

        await using (terminal)
        {
            var output = ForwardOutputAsync(session, terminal, Finish);
            var input = ForwardInputAsync(session, terminal, ct);
            await Task.WhenAny(output, input);
        }

        Finish("closed");
    }

    /// <summary>One audit entry per terminal (verb exec), with kubecube's fields; never the auth argument.</summary>
    private void Audit(ShellTicket ticket, string result, TerminalSession? terminal)
    {
        var details = new Dictionary<string, string> { ["container"] = ticket.Container, ["transport"] = "sockjs" };
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                details[key] = value;
            }
        }

        Add("command", terminal is null ? null : string.Join(' ', RedactAuth(terminal.Command)));
        Add("recording", terminal?.RecordingId);
        Add("user", ticket.Audit.ScriptUser);
        Add("uid", ticket.Audit.ScriptUid);
        Add("webuser", ticket.Audit.WebUser);
        Add("platform", ticket.Audit.Platform);
        Add("remote_ip", ticket.Audit.RemoteIp);
        Add("user_agent", ticket.Audit.UserAgent);
        audit.Record(new AuditEntry(ticket.Owner.Name, ticket.Cluster, "exec", "pods/exec", ticket.Namespace, ticket.Pod, result) { Details = details });
    }

    private static IEnumerable<string> RedactAuth(IReadOnlyList<string> command)
    {
        for (var i = 0; i < command.Count; i++)
        {
            yield return i > 0 && command[i - 1] == "-a" && command.Count == 7 ? "***" : command[i];
        }
    }

    private static async Task ForwardOutputAsync(SockJsSession session, TerminalSession terminal, Action<string> result)
    {
        await foreach (var e in terminal.Events.ReadAllAsync())
        {
            switch (e)
            {
                case TerminalEvent.Output o:
                    session.Send(new TerminalMessage("stdout", o.Data).ToJson());
                    break;
                case TerminalEvent.Toast t:
                    session.Send(new TerminalMessage("toast", t.Message).ToJson());
                    break;
                case TerminalEvent.Exited { ExitCode: 0 }:
                    result("exit 0");
                    session.Close(1, "process exited");
                    return;
                case TerminalEvent.Exited x:
                    result($"exit {x.ExitCode}");
                    session.Close(2, $"command terminated with exit code {x.ExitCode}");
                    return;
                case TerminalEvent.Ended end:
                    result(end.Reason);
                    session.Send(new TerminalMessage("toast", end.Message).ToJson());
                    session.Close(2, end.Message);
                    return;
                case TerminalEvent.Failed f:
                    result("error");
                    session.Close(2, f.Reason);
                    return;
            }
        }
    }

    private static async Task ForwardInputAsync(SockJsSession session, TerminalSession terminal, CancellationToken ct)
    {
        while (await NextTerminalMessageAsync(session, ct) is { } text)
        {
            if (TerminalMessage.Parse(text, out var error) is not { } message)
            {
                session.Close(2, error);
                return;
            }

            switch (message.Op)
            {
                case "stdin":
                    await terminal.SendInputAsync(message.Data, ct);
                    break;
                case "resize" when message.Cols > 0 && message.Rows > 0:
                    await terminal.ResizeAsync(message.Cols, message.Rows, ct);
                    break;
                case "resize":
                    break; // xterm.js reports 0x0 while hidden
                default:
                    session.Close(2, $"unknown message type '{message.Op}'");
                    return;
            }
        }
    }

    /// <summary>The next client message that is not a raw ping (answered with pong); null once the session is closed.</summary>
    private static async Task<string?> NextTerminalMessageAsync(SockJsSession session, CancellationToken ct)
    {
        while (await session.Inbox.WaitToReadAsync(ct))
        {
            while (session.Inbox.TryRead(out var message))
            {
                if (message == "ping")
                {
                    session.Send("pong");
                    continue;
                }

                return message;
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 7022, Level = LogLevel.Warning, Message = "Terminal bind of {User} failed: {Reason}")]
    private static partial void LogBindFailed(ILogger logger, string user, string reason);

    [LoggerMessage(EventId = 7020, Level = LogLevel.Warning, Message = "Terminal bind refused for {User}: {Error}")]
    private static partial void LogBindRefused(ILogger logger, string user, ShellBindError error);

    [LoggerMessage(EventId = 7021, Level = LogLevel.Information,
        Message = "Terminal opened by {User} in {Cluster}/{Namespace}/{Pod}/{Container} (webuser {WebUser}, platform {Platform}, remote_ip {RemoteIp}, user_agent {UserAgent}), recording {Recording}")]
    private static partial void LogBound(ILogger logger, string user, string cluster, string @namespace, string pod, string container,
        string webUser, string platform, string remoteIp, string userAgent, string recording);
}
