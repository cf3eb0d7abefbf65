using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.OpenApi;
using Porthole.KubeSim.Tests.Discovery;

namespace Porthole.KubeSim.Tests.OpenApi;

public sealed class CrdResourcesTests
{
    [Fact]
    public void FromCrd_ServedVersions_PreferredFirstWithSubresources()
    {
        var types = CrdResources.FromCrd(CrdFixtures.CronTab());

        Assert.Equal(["v1", "v1beta1"], types.Select(t => t.Version));
        var v1 = types[0];
        Assert.Equal("stable.example.com", v1.Group);
        Assert.Equal("crontabs", v1.Plural);
        Assert.Equal("CronTab", v1.Kind);
        Assert.True(v1.Namespaced);
        Assert.True(v1.IsCustom);
        Assert.Equal(["ct"], v1.ShortNames);
        Assert.Equal(["all"], v1.Categories);
        Assert.Equal(["status", "scale"], v1.Subresources);
        Assert.Empty(types[1].Subresources);
        Assert.NotNull(v1.CustomSchema!["properties"]!["spec"]!["properties"]!["cronSpec"]);
    }

    [Theory]
    [InlineData("v1", "v2", 1)]
    [InlineData("v2", "v1", -1)]
    [InlineData("v1", "v1beta1", -1)]
    [InlineData("v1beta2", "v1beta1", -1)]
    [InlineData("v1beta1", "v1alpha1", -1)]
    [InlineData("v1alpha1", "foo", -1)]
    [InlineData("bar", "foo", -1)]
    [InlineData("v10", "v2", -1)]
    public void CompareVersions_KubeAwarePriority_Orders(string a, string b, int sign)
    {
        Assert.Equal(sign, Math.Sign(CrdResources.CompareVersions(a, b)));
    }

    [Fact]
    public void Validate_WellFormed_DoesNotThrow()
    {
        CrdResources.Validate(CrdFixtures.CronTab());
    }

    [Fact]
    public void Validate_WrongNameAndTwoStorageVersions_Returns422()
    {
        var crd = CrdFixtures.CronTab();
        crd["metadata"]!["name"] = "crontab.stable.example.com";
        crd["spec"]!["versions"]![0]!["storage"] = true;

        var e = Assert.Throws<ApiException>(() => CrdResources.Validate(crd));

        Assert.Equal(422, e.Code);
        Assert.Equal("Invalid", e.Reason);
        Assert.StartsWith("CustomResourceDefinition.apiextensions.k8s.io \"crontab.stable.example.com\" is invalid: [metadata.name: Invalid value: \"crontab.stable.example.com\": must be spec.names.plural+\".\"+spec.group, spec.versions: Invalid value: ", e.Message.Replace("CustomResourceDefinition \"", "CustomResourceDefinition.apiextensions.k8s.io \"", StringComparison.Ordinal));
        Assert.Contains("must have exactly one version marked as storage version", e.Message);
        var causes = e.Details!["causes"]!.AsArray().Select(c => c!.Str("field")).ToList();
        Assert.Equal(["metadata.name", "spec.versions"], causes);
    }

    [Fact]
    public void Validate_MissingPluralGroupAndSchema_ListsEachField()
    {
        var crd = CrdFixtures.CronTab();
        crd["spec"]!["names"]!.AsObject().Remove("plural");
        crd["spec"]!.AsObject().Remove("group");
        crd["spec"]!["versions"]![1]!.AsObject().Remove("schema");

        var e = Assert.Throws<ApiException>(() => CrdResources.Validate(crd));

        var causes = e.Details!["causes"]!.AsArray().Select(c => $"{c!.Str("field")}: {c.Str("message")}").ToList();
        Assert.Contains("spec.group: Required value", causes);
        Assert.Contains("spec.names.plural: Required value", causes);
        Assert.Contains("spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required", causes);
    }

    [Fact]
    public void MarkEstablished_NewCrd_SetsConditionsNamesAndStoredVersions()
    {
        var crd = CrdFixtures.CronTab();
        var now = new DateTimeOffset(2026, 11, 23, 20, 0, 0, TimeSpan.Zero);

        CrdResources.MarkEstablished(crd, now);

        var status = crd["status"]!;
        var conditions = status["conditions"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Equal(["NamesAccepted", "Established"], conditions.Select(c => c.Str("type")));
        Assert.All(conditions, c => Assert.Equal("True", c.Str("status")));
        Assert.All(conditions, c => Assert.Equal("2026-11-23T20:00:00Z", c.Str("lastTransitionTime")));
        Assert.Equal("InitialNamesAccepted", conditions[1].Str("reason"));
        Assert.Equal("crontabs", status.Str("acceptedNames", "plural"));
        Assert.Equal("CronTabList", status.Str("acceptedNames", "listKind"));
        Assert.Equal("[\"v1\"]", status["storedVersions"]!.ToJsonString());

        CrdResources.MarkEstablished(crd, now.AddHours(1));
        Assert.Equal(2, crd["status"]!["conditions"]!.AsArray().Count);
        Assert.Equal("2026-11-23T20:00:00Z", crd["status"]!["conditions"]![1]!.Str("lastTransitionTime"));
    }
}
