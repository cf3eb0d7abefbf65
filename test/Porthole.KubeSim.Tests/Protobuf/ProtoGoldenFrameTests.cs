using System.Text;
using Porthole.KubeSim.Protobuf;

namespace Porthole.KubeSim.Tests.Protobuf;

/// <summary>
/// Fixed objects encoded to exact bytes (docs/protocols/kubesim-protobuf.md), each checked by
/// protoc --decode_raw, which knows nothing of KubeSim's codec, and decoded back.
/// </summary>
public sealed class ProtoGoldenFrameTests
{
    private const string ConfigMapJson = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"d"},"data":{"k":"v"}}""";

    // k8s\0, Unknown{typeMeta{"v1","ConfigMap"}, raw: ConfigMap{metadata{name "c", namespace "d"}, data{"k": "v"}}, "", ""}
    private const string ConfigMapHex = "6b387300" + "0a0f" + "0a027631" + "1209436f6e6669674d6170" + "1210" + "0a060a01631a0164" + "12060a016b120176" + "1a00" + "2200";

    private const string ConfigMapRaw = """
        1 {
          1: "v1"
          2: "ConfigMap"
        }
        2 {
          1 {
            1: "c"
            3: "d"
          }
          2 {
            1: "k"
            2: "v"
          }
        }
        3: ""
        4: ""

        """;

    [Fact]
    public async Task Encode_ConfigMap_IsTheGoldenEnvelope()
    {
        var bytes = ProtoRoundTrip.Encode(Encoding.UTF8.GetBytes(ConfigMapJson));

        Assert.Equal(ConfigMapHex, Convert.ToHexStringLower(bytes));
        Assert.Equal(ConfigMapRaw, await Protoc.DecodeRawAsync(bytes[4..]));
    }

    [Fact]
    public void Decode_GoldenEnvelope_IsTheConfigMap()
    {
        var obj = ProtoRoundTrip.Decode(Convert.FromHexString(ConfigMapHex));

        Assert.Equal("""{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c","namespace":"d"},"data":{"k":"v"}}""", obj.ToJsonString());
    }

    [Fact]
    public async Task EncodeWatchEvent_Added_IsLengthPrefixedWatchEventWithEnvelopedObject()
    {
        using var w = new ProtoWriter();
        Assert.True(KubeProtobuf.TryEncodeWatchEvent("ADDED", Encoding.UTF8.GetBytes(ConfigMapJson), w));
        var frame = w.ToArray();

        // 4-byte big-endian length, WatchEvent{type "ADDED", object RawExtension{raw: the envelope}}.
        var expected = "00000036" + "0a054144444544" + "122d" + "0a2b" + ConfigMapHex;
        Assert.Equal(expected, Convert.ToHexStringLower(frame));
        var raw = await Protoc.DecodeRawAsync(frame[4..]);
        Assert.StartsWith("1: \"ADDED\"\n2 {\n  1: \"k8s\\000\\n", raw);
    }

    [Fact]
    public async Task Encode_SpecialForms_MatchTheirWireShapes()
    {
        // Time {seconds, nanos}; IntOrString {type, intVal, strVal}; Quantity {string}; bytes; a pointer 0 kept.
        var json = """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"s","creationTimestamp":"2024-01-02T03:04:05Z"},
             "spec":{"ports":[{"port":80,"targetPort":"http"}],"sessionAffinityConfig":{"clientIP":{"timeoutSeconds":0}}}}
            """;
        var bytes = ProtoRoundTrip.Encode(Encoding.UTF8.GetBytes(json));
        var raw = await Protoc.DecodeRawAsync(bytes[4..]);

        Assert.Contains("8 {\n      1: 1704164645\n      2: 0\n    }", raw);
        Assert.Contains("4 {\n        1: 1\n        2: 0\n        3: \"http\"\n      }", raw);
        Assert.Contains("    14 {\n      1 {\n        1: 0\n      }\n    }", raw);
        Assert.Equal(
            """{"kind":"Service","apiVersion":"v1","metadata":{"name":"s","creationTimestamp":"2024-01-02T03:04:05Z"},"spec":{"ports":[{"port":80,"targetPort":"http"}],"sessionAffinityConfig":{"clientIP":{"timeoutSeconds":0}}}}""",
            ProtoRoundTrip.Decode(bytes).ToJsonString());
    }
}
