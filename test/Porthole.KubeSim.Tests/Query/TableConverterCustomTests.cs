using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Query;
using static Porthole.KubeSim.Tests.Query.TableConverterTests;

namespace Porthole.KubeSim.Tests.Query;

public sealed class TableConverterCustomTests
{
    private static readonly ResourceType Widgets =
        new("example.com", "v1", "widgets", "Widget", true, [], [], ResourceType.AllVerbs, []) { IsCustom = true };

    private static readonly JsonObject Widget = Obj("""
        {"apiVersion":"example.com/v1","kind":"Widget",
         "metadata":{"name":"blue-1","namespace":"shop","creationTimestamp":"2026-11-23T11:00:00Z"},
         "spec":{"replicas":3,"color":"blue","ratio":0.5,"enabled":true,"tags":["a","b"]},
         "status":{"conditions":[{"type":"Synced","status":"False"},{"type":"Ready","status":"True","lastTransitionTime":"2026-11-23T11:30:00Z"}]}}
        """);

    [Fact]
    public void ToTable_CrdWithPrinterColumns_EvaluatesJsonPaths()
    {
        var crd = Obj("""
            {"spec":{"versions":[{"name":"v1","additionalPrinterColumns":[
              {"name":"Replicas","type":"integer","jsonPath":".spec.replicas"},
              {"name":"Color","type":"string","jsonPath":".spec.color","description":"The colour."},
              {"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"},
              {"name":"Since","type":"date","jsonPath":".status.conditions[?(@.type=='Ready')].lastTransitionTime","priority":1},
              {"name":"Ratio","type":"number","jsonPath":".spec.ratio"},
              {"name":"On","type":"boolean","jsonPath":".spec.enabled"},
              {"name":"Tags","type":"string","jsonPath":".spec.tags"},
              {"name":"First","type":"string","jsonPath":".spec.tags[0]"},
              {"name":"Missing","type":"string","jsonPath":".spec.nothing"},
              {"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}]}]}}
            """);
        var table = TableConverter.ToTable(Widgets, [Widget], "10", null, null, "", Now, crd);
        Assert.Equal(["Name", "Replicas", "Color", "Ready", "Since", "Ratio", "On", "Tags", "First", "Missing", "Age"], Columns(table));
        Assert.Equal(["blue-1", "3", "blue", "True", "30m", "0.5", "true", "[a b]", "a", "(null)", "60m"], Cells(table));
        var defs = table["columnDefinitions"]!.AsArray();
        Assert.Equal("The colour.", defs[2]!["description"]!.GetValue<string>());
        Assert.Equal("Custom resource definition column (in JSONPath format): .spec.replicas", defs[1]!["description"]!.GetValue<string>());
        Assert.Equal(1, defs[4]!["priority"]!.GetValue<int>());
        Assert.Equal("date", defs[10]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void ToTable_CrdWithoutPrinterColumns_ShowsNameAndAge()
    {
        var crd = Obj("""{"spec":{"versions":[{"name":"v1"}]}}""");
        var table = TableConverter.ToTable(Widgets, [Widget], "10", null, null, "", Now, crd);
        Assert.Equal(["Name", "Age"], Columns(table));
        Assert.Equal(["blue-1", "60m"], Cells(table));
    }
}
