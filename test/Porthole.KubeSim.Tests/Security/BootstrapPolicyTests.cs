using Porthole.KubeSim.Security;

namespace Porthole.KubeSim.Tests.Security;

public sealed class BootstrapPolicyTests
{
    [Fact]
    public void Objects_DefaultRolesAndSimBindings_AllPresentWithResourceTypes()
    {
        var objects = BootstrapPolicy.Objects();
        string[] names = ["cluster-admin", "admin", "edit", "view", "system:discovery", "system:basic-user", "system:public-info-viewer", BootstrapPolicy.PortholeServerRole];
        foreach (var name in names)
        {
            Assert.Contains(objects, o => o.Plural == "clusterroles" && o.Object["metadata"]!["name"]!.GetValue<string>() == name);
        }

        Assert.Contains(objects, o => o.Plural == "rolebindings" && o.Object["metadata"]!["namespace"]!.GetValue<string>() == "team-a");
        Assert.Equal(SimUsers.Namespaces.Count, objects.Count(o => o.Plural == "namespaces" && o.Group.Length == 0));
        Assert.All(objects.Where(o => o.Plural != "namespaces"), o => Assert.Equal("rbac.authorization.k8s.io", o.Group));
    }

    [Fact]
    public void Objects_AggregatedRoles_CarryResolvedRulesAndLabels()
    {
        var objects = BootstrapPolicy.Objects();
        var view = objects.Single(o => o.Plural == "clusterroles" && o.Object["metadata"]!["name"]!.GetValue<string>() == "view").Object;
        Assert.Equal("true", view["metadata"]!["labels"]![BootstrapPolicy.AggregateToEdit]!.GetValue<string>());
        Assert.Equal("true", view["aggregationRule"]!["clusterRoleSelectors"]![0]!["matchLabels"]![BootstrapPolicy.AggregateToView]!.GetValue<string>());
        Assert.NotEmpty(view["rules"]!.AsArray());
        var admin = objects.Single(o => o.Plural == "clusterroles" && o.Object["metadata"]!["name"]!.GetValue<string>() == "admin").Object;
        Assert.Contains("localsubjectaccessreviews", admin["rules"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("pods/exec", admin["rules"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Seed_Twice_CreatesOnlyOnce()
    {
        var f = new RbacFixture();
        Assert.Equal(0, BootstrapPolicy.Seed(f.Store, f.Registry));
        Assert.Equal(SimUsers.Namespaces.Count, f.Store.Count(f.Type("", "namespaces")));
        var ns = f.Store.Get(f.Type("", "namespaces"), "", "team-a")!.Parse();
        Assert.False(string.IsNullOrEmpty(ns["metadata"]!["uid"]!.GetValue<string>()));
    }
}
