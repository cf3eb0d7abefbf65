using System.Security.Cryptography;
using System.Text.Json;
using Porthole.Auth.Sessions;
using Porthole.Hosting;
using Porthole.Storage;

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

/// <summary>The outcome of <see cref="ShellTickets.TryBindAsync"/>: the ticket, or why not.</summary>
public sealed record ShellBind(ShellBindError Error, ShellTicket? Ticket);

/// <summary>
/// The shell session ids handed out by the kubecube shell API: 128 random bits as 32 hex
/// characters, single-use, bound to the sign-in session that asked, gone if not bound within
/// PORTHOLE_SHELL_ID_TTL (30 s). They live in the store, so an id handed out by one replica binds
/// on another; the command (which may carry kubecube's auth argument) is sealed there with
/// AES-GCM under a key derived from the session secret. The terminal runs with the binding
/// request's credential, which belongs to the same sign-in session as the asking one.
/// </summary>
public sealed class ShellTickets(PortholeStore store, SessionSecrets secrets, PortholeOptions options, TimeProvider time)
{
    private readonly TokenProtector _sealer = new(secrets, "porthole shell session id");

    public async Task<ShellTicket> IssueAsync(TerminalUser owner, string cluster, string ns, string pod, string container, IReadOnlyList<string>? command, ShellAuditFields audit,
        CancellationToken ct)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var ticket = new ShellTicket(id, owner, cluster, ns, pod, container, command, audit, time.GetUtcNow() + options.ShellIdTtl);
        var sealedCommand = command is null ? null : _sealer.Protect(JsonSerializer.Serialize(command), Guid.ParseExact(id, "N"));
        await store.InsertShellTicketAsync(new ShellTicketRow(id, owner.Name, owner.SessionKey, cluster, ns, pod, container, sealedCommand,
            JsonSerializer.Serialize(audit), ticket.Expires.ToUnixTimeMilliseconds()), ct);
        return ticket;
    }

    /// <summary>
    /// Takes the ticket for <paramref name="id"/> if <paramref name="user"/>'s session asked for it
    /// and it has not expired. Another session's attempt leaves the ticket to its owner. Exactly
    /// one bind wins, whichever replica it reaches.
    /// </summary>
    public async Task<ShellBind> TryBindAsync(string id, TerminalUser user, CancellationToken ct)
    {
        if (!TerminalRecordings.IsValidId(id) || await store.FindShellTicketAsync(id, ct) is not { } row)
        {
            return new ShellBind(ShellBindError.Unknown, null);
        }

        var expires = DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAt);
        if (expires <= time.GetUtcNow())
        {
            await store.DeleteShellTicketAsync(id, ct);
            return new ShellBind(ShellBindError.Expired, null);
        }

        if (!string.Equals(row.User, user.Name, StringComparison.Ordinal) || !string.Equals(row.SessionKey, user.SessionKey, StringComparison.Ordinal))
        {
            return new ShellBind(ShellBindError.OtherSession, null);
        }

        if (!await store.DeleteShellTicketAsync(id, ct))
        {
            return new ShellBind(ShellBindError.Unknown, null); // bound concurrently
        }

        IReadOnlyList<string>? command = null;
        if (row.Command is { } sealedCommand)
        {
            var plain = Enumerable.Range(0, _sealer.KeyCount).Select(k => _sealer.Unprotect(sealedCommand, Guid.ParseExact(id, "N"), k)).FirstOrDefault(p => p is not null);
            if (plain is null)
            {
                return new ShellBind(ShellBindError.Unknown, null); // sealed under another secret: not ours to open
            }

            command = JsonSerializer.Deserialize<string[]>(plain);
        }

        var audit = JsonSerializer.Deserialize<ShellAuditFields>(row.Audit) ?? new ShellAuditFields(null, null, null, null, null, null);
        return new ShellBind(ShellBindError.None, new ShellTicket(id, user, row.Cluster, row.Namespace, row.Pod, row.Container, command, audit, expires));
    }
}
