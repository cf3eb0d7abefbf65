using System.Text.Json.Nodes;
using Porthole.KubeSim.Tests.Kubectl;

namespace Porthole.KubeSim.Tests.Protobuf;

/// <summary>
/// kubectl 1.32 and 1.33, by their own binaries, send typed requests in protobuf and ask for
/// protobuf answers: what they create reads back (kubectl.1.31, JSON) as what 1.31 creates.
/// </summary>
public sealed class KubectlProtobufTests(SimFixture sim) : IClassFixture<SimFixture>
{
    private static readonly string[][] Creates =
    [
        ["create", "configmap", "cm1", "--from-literal=a=b", "--from-literal=empty="],
        ["create", "secret", "generic", "s1", "--from-literal=p=q"],
        ["create", "serviceaccount", "sa1"],
        ["create", "deployment", "d1", "--image=nginx", "--replicas=0", "--port=80"],
        ["create", "service", "clusterip", "svc1", "--tcp=80:8080"],
        ["create", "role", "r1", "--verb=get,list", "--resource=pods"],
        ["create", "quota", "q1", "--hard=pods=10,requests.cpu=2"],
        ["create", "poddisruptionbudget", "pdb1", "--selector=app=x", "--min-available=1"],
    ];

    private static readonly string[] Objects = ["configmap/cm1", "secret/s1", "serviceaccount/sa1", "deployment/d1", "service/svc1", "role/r1", "resourcequota/q1", "poddisruptionbudget/pdb1"];

    private KubectlRunner Kubectl(string version) => new(KubectlRunner.Locate(version), sim.KubeconfigPath);

    [Theory]
    [InlineData("kubectl.1.32")]
    [InlineData("kubectl.1.33")]
    public async Task Create_WithProtobufKubectl_StoresWhatJsonKubectlStores(string version)
    {
        var tag = version.Replace("kubectl.", "", StringComparison.Ordinal).Replace('.', '-');
        var json = Kubectl("kubectl.1.31");
        var proto = Kubectl(version);
        await Ok(json, ["create", "namespace", $"pbj-{tag}"]);
        var ns = await proto.RunAsync(["create", "namespace", $"pbp-{tag}", "-v=8"]);
        Assert.True(ns.ExitCode == 0, ns.ToString());
        Assert.Contains("Content-Type: application/vnd.kubernetes.protobuf", ns.Stderr, StringComparison.Ordinal);

        foreach (var create in Creates)
        {
            await Ok(json, [.. create, "-n", $"pbj-{tag}"]);
            await Ok(proto, [.. create, "-n", $"pbp-{tag}"]);
        }

        foreach (var o in Objects.Prepend("namespace/"))
        {
            var (j, p) = o == "namespace/" ? ($"namespace/pbj-{tag}", $"namespace/pbp-{tag}") : (o, o);
            var expected = Normalize(await GetJson(json, j, o == "namespace/" ? null : $"pbj-{tag}"), tag);
            var actual = Normalize(await GetJson(json, p, o == "namespace/" ? null : $"pbp-{tag}"), tag);
            Assert.True(JsonNode.DeepEquals(expected, actual), $"{o} from {version}:\n{actual.ToJsonString()}\nfrom kubectl.1.31:\n{expected.ToJsonString()}");
        }
    }

    [Theory]
    [InlineData("kubectl.1.32")]
    [InlineData("kubectl.1.33")]
    public async Task EventsWatch_WithProtobufKubectl_PrintsEventsFromProtobufFrames(string version)
    {
        // kubectl events -w lists and watches with the typed client: protobuf (kubectl get -w asks for JSON Tables).
        var tag = version.Replace("kubectl.", "", StringComparison.Ordinal).Replace('.', '-');
        await CreateEventAsync($"pb-first-{tag}");
        var second = 0;
        var watch = await Kubectl(version).RunAsync(["events", "-w", "-n", "default", "-v=8"], timeout: TimeSpan.FromSeconds(90), stopWhen: output =>
        {
            if (output.Contains($"pb-first-{tag}", StringComparison.Ordinal) && Interlocked.Exchange(ref second, 1) == 0)
            {
                _ = CreateEventAsync($"pb-second-{tag}");
            }

            return output.Contains($"pb-second-{tag}", StringComparison.Ordinal);
        });

        Assert.Contains($"pb-second-{tag}", watch.Stdout, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/vnd.kubernetes.protobuf;stream=watch", watch.Stderr, StringComparison.Ordinal);
    }

    private async Task CreateEventAsync(string message)
    {
        using var http = sim.Http();
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var e = JsonNode.Parse($$$"""
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"{{{message}}}"},"involvedObject":{"kind":"Pod","name":"p","namespace":"default"},
             "reason":"ProtobufTest","message":"{{{message}}}","type":"Normal","count":1,"firstTimestamp":"{{{now}}}","lastTimestamp":"{{{now}}}","source":{"component":"test"}}
            """);
        (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(http, "/api/v1/namespaces/default/events", e)).EnsureSuccessStatusCode();
    }

    [Theory]
    [InlineData("kubectl.1.32")]
    [InlineData("kubectl.1.33")]
    public async Task Auth_WithProtobufKubectl_AnswersReviews(string version)
    {
        var kubectl = Kubectl(version);

        var whoami = await Ok(kubectl, ["auth", "whoami"]);
        Assert.Contains("sim-admin", whoami, StringComparison.Ordinal);
        Assert.Equal("yes", (await Ok(kubectl, ["auth", "can-i", "create", "pods"])).Trim());
        var viewer = await kubectl.RunAsync(["auth", "can-i", "create", "pods", "--as=sim-viewer"]);
        Assert.Equal("no", viewer.Stdout.Trim());
        Assert.Contains("*.*", await Ok(kubectl, ["auth", "can-i", "--list"]), StringComparison.Ordinal);
    }

    private static async Task<string> Ok(KubectlRunner kubectl, string[] args)
    {
        var r = await kubectl.RunAsync(args);
        Assert.True(r.ExitCode == 0, $"{kubectl.Binary} {string.Join(' ', args)}: {r}");
        return r.Stdout;
    }

    private static async Task<JsonObject> GetJson(KubectlRunner kubectl, string obj, string? ns) =>
        JsonNode.Parse(await Ok(kubectl, ns is null ? ["get", obj, "-o", "json"] : ["get", obj, "-n", ns, "-o", "json"]))!.AsObject();

    /// <summary>Drops what differs between any two creates: identity, times, versions, the namespace and the client's name.</summary>
    private static JsonObject Normalize(JsonObject obj, string tag)
    {
        var text = obj.ToJsonString()
            .Replace($"pbj-{tag}", "NS", StringComparison.Ordinal)
            .Replace($"pbp-{tag}", "NS", StringComparison.Ordinal);
        var copy = JsonNode.Parse(text)!.AsObject();
        Strip(copy);
        return copy;
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var k in new[] { "uid", "resourceVersion", "creationTimestamp", "time", "manager", "clusterIP", "clusterIPs", "lastUpdateTime", "lastTransitionTime", "observedGeneration" })
                {
                    o.Remove(k);
                }

                foreach (var (_, v) in o)
                {
                    Strip(v);
                }

                break;
            case JsonArray a:
                foreach (var v in a)
                {
                    Strip(v);
                }

                break;
        }
    }
}
