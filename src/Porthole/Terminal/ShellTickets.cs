using System.Collections.Concurrent;
using System.Security.Cryptography;
using Porthole.Hosting;

namespace Porthole.Terminal;

/// <summary>kubecube's optional fields of a shell request, kept for the audit record (never the auth value).</summary>
public sealed record ShellAuditFields(string? WebUser, string? Platform, string? RemoteIp, string? UserAgent, string? ScriptUser, string? ScriptUid);

/// <summary>A shell session id waiting for its bind: what it opens and for whom.</summary>
public sealed record ShellTicket(
    string Id, TerminalUser Owner, string Cluster, string Namespace, string Pod, string Container,
    IReadOnlyList<string>? Command, ShellAuditFields Audit, DateTimeOffset Expires);

/// <summary>Why a bind was refused.</summary>
public enum ShellBindError
{
    None,
    Unknown,
    Expired,
    OtherSession,
}

/// <summary>
/// The shell session ids handed out by the kubecube shell API: 128 random bits as 32 hex
/// characters, single-use, bound to the sign-in session that asked, gone if not bound within
/// PORTHOLE_SHELL_ID_TTL (30 s).
/// </summary>
public sealed class ShellTickets(PortholeOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ShellTicket> _tickets = new(StringComparer.Ordinal);

    public int Count => _tickets.Count;

    public ShellTicket Issue(TerminalUser owner, string cluster, string ns, string pod, string container, IReadOnlyList<string>? command, ShellAuditFields audit)
    {
        Sweep();
        var ticket = new ShellTicket(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), owner, cluster, ns, pod, container,
            command, audit, time.GetUtcNow() + options.ShellIdTtl);
        _tickets[ticket.Id] = ticket;
        return ticket;
    }

    /// <summary>
    /// Takes the ticket for <paramref name="id"/> if <paramref name="user"/>'s session asked for it
    /// and it has not expired. Another session's attempt leaves the ticket to its owner.
    /// </summary>
    public ShellBindError TryBind(string id, TerminalUser user, out ShellTicket? ticket)
    {
        ticket = null;
        if (!_tickets.TryGetValue(id, out var found))
        {
            return ShellBindError.Unknown;
        }

        if (found.Expires <= time.GetUtcNow())
        {
            _tickets.TryRemove(id, out _);
            return ShellBindError.Expired;
        }

        if (!found.Owner.SameSession(user))
        {
            return ShellBindError.OtherSession;
        }

        if (!_tickets.TryRemove(new KeyValuePair<string, ShellTicket>(id, found)))
        {
            return ShellBindError.Unknown; // bound concurrently
        }

        ticket = found;
        return ShellBindError.None;
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (id, ticket) in _tickets)
        {
            if (ticket.Expires <= now)
            {
                _tickets.TryRemove(new KeyValuePair<string, ShellTicket>(id, ticket));
            }
        }
    }
}
