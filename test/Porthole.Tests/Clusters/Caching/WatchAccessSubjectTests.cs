using Porthole.Clusters;
using Porthole.Clusters.Caching;

namespace Porthole.Tests.Clusters.Caching;

/// <summary>Access answers are cached per subject: two different identities never share a key.</summary>
public sealed class WatchAccessSubjectTests
{
    [Theory]
    [InlineData("alice", new[] { "a,b" }, "alice", new[] { "a", "b" })]
    [InlineData("alice", new[] { "a|b" }, "alice", new[] { "a", "b" })]
    [InlineData("a|b", new string[0], "a", new[] { "b" })]
    [InlineData("alice", new[] { "1:x|" }, "alice", new[] { "1:x" })]
    public void SubjectOf_NamesThatCouldPoseAsOthers_DifferentKeys(string user1, string[] groups1, string user2, string[] groups2) =>
        Assert.NotEqual(
            WatchAccess.SubjectOf(new KubeCredential.Impersonation(user1, groups1)),
            WatchAccess.SubjectOf(new KubeCredential.Impersonation(user2, groups2)));

    [Fact]
    public void SubjectOf_SameGroupsInAnotherOrder_SameKey() =>
        Assert.Equal(
            WatchAccess.SubjectOf(new KubeCredential.Impersonation("alice", ["b", "a"])),
            WatchAccess.SubjectOf(new KubeCredential.Impersonation("alice", ["a", "b"])));
}
