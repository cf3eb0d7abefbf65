using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Hosting;
using Porthole.KubeSim.Protobuf;

namespace Porthole.Bench.Protobuf;

/// <summary>
/// A PodList of N running demo pods (--pods), encoded and decoded as JSON and as Kubernetes
/// protobuf by KubeSim's codec: size, median time and allocations of each over --rounds rounds.
/// </summary>
internal static class ProtobufBench
{
    public static async Task<int> RunAsync(int pods, int rounds)
    {
        await using var sim = await SimServer.StartAsync(new KubeSimOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), Seed = "empty", Pods = pods });
        var podType = sim.Registry.Find("", "v1", "pods")!;
        while (sim.Store.List(podType, "load", o => o.Parse()["status"]?["phase"]?.GetValue<string>() == "Running").Items.Count < pods)
        {
            await Task.Delay(200);
        }

        var items = sim.Store.List(podType, "load").Items.Select(i => i.Json).ToList();
        var list = new JsonObject
        {
            ["kind"] = "PodList",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = "1" },
            ["items"] = new JsonArray([.. items.Select(i => JsonNode.Parse(i))]),
        };
        var metadata = KubeJson.Bytes(list["metadata"]!);
        var podList = KubeProtobuf.Schema.Find("v1", "PodList")!;
        Console.WriteLine($"protobuf codec: a PodList of {items.Count} running demo pods, median of {rounds} rounds");

        var json = KubeJson.Bytes(list);
        byte[] proto;
        using (var w = new ProtoWriter(json.Length))
        {
            KubeProtobuf.EncodeList("v1", "PodList", podList, metadata, items, w);
            proto = w.ToArray();
        }

        var (apiVersion, kind, raw) = KubeProtobuf.ReadEnvelope(proto);
        Console.WriteLine($"  size: JSON {json.Length:N0} bytes, protobuf {proto.Length:N0} bytes ({100.0 * proto.Length / json.Length:F0}%)");
        Measure("encode JSON      (JsonNode -> UTF-8)", rounds, () => KubeJson.Bytes(list).Length);
        Measure("encode protobuf  (stored JSON -> protobuf)", rounds, () =>
        {
            using var w = new ProtoWriter(json.Length);
            KubeProtobuf.EncodeList("v1", "PodList", podList, metadata, items, w);
            return w.Length;
        });
        Measure("decode JSON      (UTF-8 -> JsonNode tree)", rounds, () => Materialize(JsonNode.Parse(json)));
        Measure("decode protobuf  (protobuf -> JSON UTF-8)", rounds, () => KubeProtobuf.DecodeToJson(raw.Span, apiVersion, kind, podList).Length);
        Measure("decode protobuf  (protobuf -> JsonNode tree)", rounds, () => Materialize(JsonNode.Parse(KubeProtobuf.DecodeToJson(raw.Span, apiVersion, kind, podList))));
        return 0;
    }

    /// <summary>Touches every node, so a lazily parsed tree is built in full.</summary>
    private static int Materialize(JsonNode? node) => node switch
    {
        JsonObject o => o.Sum(p => Materialize(p.Value)) + 1,
        JsonArray a => a.Sum(Materialize) + 1,
        JsonValue v => v.GetValueKind() == JsonValueKind.String ? 1 : 1,
        _ => 0,
    };

    private static void Measure(string what, int rounds, Func<int> op)
    {
        op(); // warm-up
        var times = new List<double>();
        long allocated = 0;
        for (var i = 0; i < rounds; i++)
        {
            GC.Collect();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            op();
            sw.Stop();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine($"  {what,-46} {times[times.Count / 2],8:F1} ms   {allocated / (1024.0 * 1024.0),8:F1} MiB allocated");
    }
}
