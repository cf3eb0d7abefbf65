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
                var (_, kind) = KubeProtobuf.TypeOf(json);
                if (type.IsCustom)
                {
                    continue;
                }

                kinds.Add($"{type.ApiVersion} {kind}");
                try
                {
                    var back = ProtoRoundTrip.Through(json);
                    if (ProtoRoundTrip.Difference(JsonNode.Parse(json), back) is { } d)
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
}
