using System.Collections.Concurrent;

namespace Porthole.Terminal.SockJs;

/// <summary>Runs one SockJS session: reads <see cref="SockJsSession.Inbox"/>, sends, and closes it.</summary>
public interface ISockJsHandler
{
    Task RunAsync(SockJsSession session);
}

/// <summary>The live SockJS sessions by id; a new session starts its handler at once.</summary>
public sealed partial class SockJsSessions(SockJsOptions options, ISockJsHandler handler, TimeProvider time, ILogger<SockJsSessions> logger)
{
    private readonly ConcurrentDictionary<string, SockJsSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public SockJsSession? Get(string id) => _sessions.TryGetValue(id, out var session) ? session : null;

    /// <summary>The session with this id, created (and its handler started) when there is none.</summary>
    public SockJsSession GetOrCreate(string id, TerminalUser owner)
    {
        if (_sessions.TryGetValue(id, out var existing))
        {
            return existing;
        }

        var created = new SockJsSession(id, owner, options.DisconnectDelay, time, s => _sessions.TryRemove(new KeyValuePair<string, SockJsSession>(s.Id, s)));
        if (!_sessions.TryAdd(id, created))
        {
            return _sessions[id];
        }

        _ = RunAsync(created);
        return created;
    }

    private async Task RunAsync(SockJsSession session)
    {
        try
        {
            await handler.RunAsync(session);
        }
        catch (Exception e)
        {
            LogHandlerFailed(logger, e);
            session.Close(2, "internal error");
        }
    }

    /// <summary>Closes every session (server shutdown).</summary>
    public void CloseAll(int code, string reason)
    {
        foreach (var session in _sessions.Values)
        {
            session.Close(code, reason);
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Error, Message = "SockJS session handler failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception);
}
