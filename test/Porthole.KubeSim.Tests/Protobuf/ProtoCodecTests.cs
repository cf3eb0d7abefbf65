using System.Net;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Hosting;
using Porthole.KubeSim.Protobuf;

namespace Porthole.KubeSim.Tests.Protobuf;

public sealed class ProtoCodecTests
{
    [Fact]
    public async Task RoundTrip_EveryDemoSeedObject_IsIdentity()
    {
        await using var sim = await SimServer.StartAsync(new KubeSimOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), Seed = "demo" });
        var failures = new List<string>();
        var kinds = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in sim.Registry.All)
        {
            foreach (var stored in sim.Store.All(type))
            {
                var json = stored.Json;
                var (apiVersion, kind) = KubeProtobuf.TypeOf(json);
                if (type.IsCustom)
                {
                    continue;
                }

                kinds.Add($"{type.ApiVersion} {kind}");
                try
                {
                    var back = ProtoRoundTrip.Through(json);
                    var expected = ProtoRoundTrip.WithoutEmptyLists(JsonNode.Parse(json)!.AsObject(), KubeProtobuf.Schema.Find(apiVersion, kind)!);
                    if (ProtoRoundTrip.Difference(expected, back) is { } d)
                    {
                        failures.Add($"{ProtoRoundTrip.Describe(json)}: {d}");
                    }
                }
                catch (Exception e) when (e is ProtobufException or ProtobufEncodeException)
                {
                    failures.Add($"{ProtoRoundTrip.Describe(json)}: {e.Message}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
        Assert.Contains("v1 Pod", kinds);
        Assert.Contains("apps/v1 Deployment", kinds);
    }

    [Fact]
    public void RoundTrip_CustomResourceDefinition_KeepsSchemaUnions()
    {
        var crd = Discovery.CrdFixtures.CronTab();
        crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"] = JsonNode.Parse("""
            {"tags":{"type":"array","items":{"type":"string"}},"extra":{"type":"object","additionalProperties":false},
             "any":{"type":"object","additionalProperties":{"type":"integer","default":3,"enum":[1,2,3]}},
             "deps":{"type":"object","dependencies":{"a":["b"],"c":{"required":["d"]}}},
             "checked":{"type":"string","x-kubernetes-validations":[{"rule":"self.size() > 1","messageExpression":"'short'","reason":"FieldValueInvalid"}]}}
            """);
        var json = System.Text.Encoding.UTF8.GetBytes(crd.ToJsonString());

        Assert.Null(ProtoRoundTrip.Difference(crd, ProtoRoundTrip.Through(json)));
    }

    [Fact]
    public void RoundTrip_MetricsAndTimes_KeepTheirJsonForms()
    {
        var json = """
            {"apiVersion":"metrics.k8s.io/v1beta1","kind":"PodMetrics","metadata":{"name":"p","namespace":"n","creationTimestamp":"2024-05-06T07:08:09Z"},
             "timestamp":"2024-05-06T07:08:00Z","window":"1m30.5s","containers":[{"name":"c","usage":{"cpu":"26m","memory":"250Mi"}}]}
            """;
        var back = ProtoRoundTrip.Through(System.Text.Encoding.UTF8.GetBytes(json));

        Assert.Null(ProtoRoundTrip.Difference(JsonNode.Parse(json), back));
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(15_000_000_000L, "15s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(90_500_000_000L, "1m30.5s")]
    [InlineData(1_500_000L, "1.5ms")]
    [InlineData(-2_000L, "-2µs")]
    public void GoDuration_FormatsAndParsesAsGo(long nanos, string text)
    {
        Assert.Equal(text, GoFormats.FormatDuration(nanos));
        Assert.True(GoFormats.TryParseDuration(text, out var parsed));
        Assert.Equal(nanos, parsed);
    }

    [Fact]
    public void Decode_ZeroScalars_FollowGoJsonOmitempty()
    {
        // A Pod as a Go client writes it: every non-pointer scalar present, zero or not.
        var pod = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"nodeName":"","hostNetwork":false,"terminationGracePeriodSeconds":0,"automountServiceAccountToken":false,"priority":0,"containers":[{"name":"","image":"i","ports":[{"containerPort":0,"hostPort":0}],"stdin":false}]}}""";
        var back = ProtoRoundTrip.Through(System.Text.Encoding.UTF8.GetBytes(pod));

        Assert.Equal(
            """{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p"},"spec":{"terminationGracePeriodSeconds":0,"automountServiceAccountToken":false,"priority":0,"containers":[{"name":"","image":"i","ports":[{"containerPort":0}]}]}}""",
            back.ToJsonString());
    }
}
