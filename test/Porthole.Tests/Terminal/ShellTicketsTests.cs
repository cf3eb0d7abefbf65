using System.Text;
using Microsoft.Extensions.Time.Testing;
using Porthole.Auth.Sessions;
using Porthole.Clusters;
using Porthole.Hosting;
using Porthole.Storage;
using Porthole.Terminal;

namespace Porthole.Tests.Terminal;

public sealed class ShellTicketsTests : IDisposable
{
    private static readonly TerminalUser Alice = new("alice", "s1", new KubeCredential.Impersonation("alice", ["dev"]));
    private static readonly ShellAuditFields NoAudit = new(null, null, null, null, null, null);
    private readonly TempDir _dir = new();
    private readonly PortholeStore _store;
    private readonly FakeTimeProvider _time = new();

    public ShellTicketsTests() => _store = PortholeStore.Open(_dir.Path);

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    private ShellTickets Tickets(string secret = "first-secret-of-at-least-32-characters", PortholeOptions? options = null) =>
        new(_store, new SessionSecrets(Encoding.UTF8.GetBytes(secret), null), options ?? new PortholeOptions(), _time);

    [Fact]
    public async Task Issue_Id_Is32LowerHex()
    {
        var ticket = await Tickets().IssueAsync(Alice, "c", "ns", "p", "app", null, NoAudit, CancellationToken.None);

        Assert.Matches("^[0-9a-f]{32}$", ticket.Id);
    }

    [Fact]
    public async Task TryBind_SecondTime_Unknown()
    {
        var tickets = Tickets();
        var id = (await tickets.IssueAsync(Alice, "c", "ns", "p", "app", null, NoAudit, CancellationToken.None)).Id;

        var first = await tickets.TryBindAsync(id, Alice, CancellationToken.None);
        Assert.Equal(ShellBindError.None, first.Error);
        Assert.Equal(("c", "ns", "p", "app"), (first.Ticket!.Cluster, first.Ticket.Namespace, first.Ticket.Pod, first.Ticket.Container));
        Assert.Equal(ShellBindError.Unknown, (await tickets.TryBindAsync(id, Alice, CancellationToken.None)).Error);
    }

    [Fact]
    public async Task TryBind_AfterTtl_ExpiredAndGone()
    {
        var tickets = Tickets(options: new PortholeOptions { ShellIdTtl = TimeSpan.FromSeconds(30) });
        var id = (await tickets.IssueAsync(Alice, "c", "ns", "p", "app", null, NoAudit, CancellationToken.None)).Id;

        _time.Advance(TimeSpan.FromSeconds(30));

        var bind = await tickets.TryBindAsync(id, Alice, CancellationToken.None);
        Assert.Equal((ShellBindError.Expired, null), (bind.Error, bind.Ticket));
        Assert.Null(await _store.FindShellTicketAsync(id));
    }

    [Theory]
    [InlineData("bob", "s1")]
    [InlineData("alice", "s2")]
    [InlineData("alice", null)]
    public async Task TryBind_OtherUserOrSession_RefusedAndKeptForOwner(string name, string? session)
    {
        var tickets = Tickets();
        var id = (await tickets.IssueAsync(Alice, "c", "ns", "p", "app", null, NoAudit, CancellationToken.None)).Id;

        Assert.Equal(ShellBindError.OtherSession, (await tickets.TryBindAsync(id, new TerminalUser(name, session, new KubeCredential.Impersonation(name, ["dev"])), CancellationToken.None)).Error);
        Assert.Equal(ShellBindError.None, (await tickets.TryBindAsync(id, Alice, CancellationToken.None)).Error);
    }

    [Fact]
    public async Task Issue_KubecubeCommand_SealedInStoreAndRestoredAtBind()
    {
        var tickets = Tickets();
        string[] command = ["/init.sh", "-u", "kc", "-i", "42", "-a", "kubecube-auth-value"];
        var audit = new ShellAuditFields("web-user", "kubecube", "10.0.0.1", "curl", "kc", "42");
        var id = (await tickets.IssueAsync(Alice, "c", "ns", "p", "app", command, audit, CancellationToken.None)).Id;

        var row = await _store.FindShellTicketAsync(id);
        Assert.DoesNotContain("kubecube-auth-value", row!.Command!, StringComparison.Ordinal);
        Assert.DoesNotContain("kubecube-auth-value", row.Audit, StringComparison.Ordinal);
        var bind = await tickets.TryBindAsync(id, Alice, CancellationToken.None);
        Assert.Equal(command, bind.Ticket!.Command);
        Assert.Equal(audit, bind.Ticket.Audit);
    }

    [Fact]
    public async Task TryBind_SealedUnderAnotherSecret_Unknown()
    {
        var id = (await Tickets("first-secret-of-at-least-32-characters").IssueAsync(Alice, "c", "ns", "p", "app", ["/init.sh", "-a", "x"], NoAudit, CancellationToken.None)).Id;

        Assert.Equal(ShellBindError.Unknown, (await Tickets("other-secret-of-at-least-32-characters").TryBindAsync(id, Alice, CancellationToken.None)).Error);
    }
}
