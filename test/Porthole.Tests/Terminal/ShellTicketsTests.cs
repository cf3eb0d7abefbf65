using Microsoft.Extensions.Time.Testing;
using Porthole.Clusters;
using Porthole.Hosting;
using Porthole.Terminal;

namespace Porthole.Tests.Terminal;

public sealed class ShellTicketsTests
{
    private static readonly TerminalUser Alice = new("alice", "s1", new KubeCredential.Impersonation("alice", ["dev"]));
    private static readonly ShellAuditFields NoAudit = new(null, null, null, null, null, null);

    [Fact]
    public void Issue_Id_Is32LowerHex()
    {
        var tickets = new ShellTickets(new PortholeOptions(), new FakeTimeProvider());

        Assert.Matches("^[0-9a-f]{32}$", tickets.Issue(Alice, "c", "ns", "p", "app", null, NoAudit).Id);
    }

    [Fact]
    public void TryBind_SecondTime_Unknown()
    {
        var tickets = new ShellTickets(new PortholeOptions(), new FakeTimeProvider());
        var id = tickets.Issue(Alice, "c", "ns", "p", "app", null, NoAudit).Id;

        Assert.Equal(ShellBindError.None, tickets.TryBind(id, Alice, out var ticket));
        Assert.NotNull(ticket);
        Assert.Equal(ShellBindError.Unknown, tickets.TryBind(id, Alice, out _));
    }

    [Fact]
    public void TryBind_AfterTtl_Expired()
    {
        var time = new FakeTimeProvider();
        var tickets = new ShellTickets(new PortholeOptions { ShellIdTtl = TimeSpan.FromSeconds(30) }, time);
        var id = tickets.Issue(Alice, "c", "ns", "p", "app", null, NoAudit).Id;

        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(ShellBindError.Expired, tickets.TryBind(id, Alice, out var ticket));
        Assert.Null(ticket);
        Assert.Equal(0, tickets.Count);
    }

    [Theory]
    [InlineData("bob", "s1")]
    [InlineData("alice", "s2")]
    [InlineData("alice", null)]
    public void TryBind_OtherUserOrSession_RefusedAndKeptForOwner(string name, string? session)
    {
        var tickets = new ShellTickets(new PortholeOptions(), new FakeTimeProvider());
        var id = tickets.Issue(Alice, "c", "ns", "p", "app", null, NoAudit).Id;

        Assert.Equal(ShellBindError.OtherSession, tickets.TryBind(id, new TerminalUser(name, session, new KubeCredential.Impersonation(name, ["dev"])), out _));
        Assert.Equal(ShellBindError.None, tickets.TryBind(id, Alice, out _));
    }
}
