using System.Text.Json.Nodes;
using Porthole.KubeSim.Protobuf;

namespace Porthole.KubeSim.Tests.Protobuf;

/// <summary>
/// Request bodies kubectl 1.32 and 1.33 sent to KubeSim (Fixtures/, captured with kubectl -v=10
/// from `kubectl create ...` and `kubectl auth ...`): decoded as the API server would re-encode
/// them, and identical after JSON → protobuf → JSON.
/// </summary>
public sealed class ProtoFixtureTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Protobuf", "Fixtures"), "*.pb").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    private static JsonObject Load(string name) => ProtoRoundTrip.Decode(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Protobuf", "Fixtures", name)));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void RoundTrip_KubectlBody_IsIdentity(string fixture)
    {
        var decoded = Load(fixture);
        var again = ProtoRoundTrip.Through(System.Text.Encoding.UTF8.GetBytes(decoded.ToJsonString()));

        Assert.Null(ProtoRoundTrip.Difference(decoded, again));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Decode_KubectlBody_HasNoZeroScalarsOfOmitemptyFields(string fixture)
    {
        var zeros = new List<string>();
        var obj = Load(fixture);
        Walk(obj, KubeProtobuf.Schema.Find(obj["apiVersion"]!.GetValue<string>(), obj["kind"]!.GetValue<string>())!, "$", zeros);

        // Strings, numbers and false of omitempty non-pointer fields are gone; what is left is a pointer or a field without omitempty.
        Assert.True(zeros.Count == 0, string.Join(", ", zeros));
    }

    [Fact]
    public void Decode_KubectlDeployment_KeepsPointerZeroAndGoNulls()
    {
        var d = Load("kubectl-1.33-deployment.pb");

        Assert.Equal(0, d["spec"]!["replicas"]!.GetValue<int>()); // --replicas=0: *int32, kept
        Assert.True(d["spec"]!["template"]!["metadata"]!.AsObject().TryGetPropertyValue("creationTimestamp", out var created) && created is null);
        Assert.Equal("{}", d["spec"]!["strategy"]!.ToJsonString()); // non-pointer struct: Go writes {}
        Assert.Equal("{}", d["status"]!.ToJsonString());
        var container = d["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
        Assert.Equal("nginx", container["image"]!.GetValue<string>());
        Assert.False(container.ContainsKey("imagePullPolicy")); // "" of a non-pointer omitempty string: dropped
        Assert.Equal(80, container["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.False(d["spec"]!["template"]!["spec"]!.AsObject().ContainsKey("hostNetwork"));
    }

    [Fact]
    public void Decode_KubectlSecret_KeepsBytesAsBase64()
    {
        var s = Load("kubectl-1.33-secret.pb");

        Assert.Equal(Convert.ToBase64String("q"u8), s["data"]!["p"]!.GetValue<string>());
        Assert.False(s.ContainsKey("type")); // kubectl leaves it "" for the API server to default to Opaque
    }

    [Fact]
    public void Decode_KubectlConfigMap_KeepsEmptyMapValues()
    {
        var c = Load("kubectl-1.32-configmap.pb");

        Assert.Equal("b", c["data"]!["a"]!.GetValue<string>());
        Assert.Equal("", c["data"]!["empty"]!.GetValue<string>());
    }

    /// <summary>Zero scalars where the schema says Go's encoding/json would leave them out.</summary>
    private static void Walk(JsonObject obj, ProtoMessage m, string path, List<string> zeros)
    {
        foreach (var (k, v) in obj)
        {
            if (!m.TryFind(System.Text.Encoding.UTF8.GetBytes(k), out var f, out _) || v is null)
            {
                continue;
            }

            if (f.Kind == ProtoKind.Message && f.Message!.Form == ProtoForm.Object)
            {
                var children = f.Repeated ? v.AsArray().Select(x => x!.AsObject()) : f.IsMap ? v.AsObject().Select(x => x.Value!.AsObject()) : [v.AsObject()];
                foreach (var child in children)
                {
                    Walk(child, f.Message, $"{path}.{k}", zeros);
                }
            }
            else if (!f.Repeated && !f.IsMap && f.DropsZero && v is JsonValue value && value.GetValueKind() switch
            {
                System.Text.Json.JsonValueKind.False => true,
                System.Text.Json.JsonValueKind.String => value.GetValue<string>().Length == 0,
                System.Text.Json.JsonValueKind.Number => value.ToJsonString() == "0",
                _ => false,
            })
            {
                zeros.Add($"{path}.{k}");
            }
        }
    }
}
