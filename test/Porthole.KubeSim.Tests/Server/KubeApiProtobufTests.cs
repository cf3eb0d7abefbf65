using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Protobuf;
using Porthole.KubeSim.Tests.Discovery;
using Porthole.KubeSim.Tests.Protobuf;

namespace Porthole.KubeSim.Tests.Server;

/// <summary>application/vnd.kubernetes.protobuf over real HTTPS: bodies, negotiation, Status, lists, watch, and bad input.</summary>
public sealed class KubeApiProtobufTests(SimFixture sim) : IClassFixture<SimFixture>
{
    private const string Protobuf = "application/vnd.kubernetes.protobuf";

    private static byte[] ConfigMap(string name, string ns = "default") =>
        ProtoRoundTrip.Encode(Encoding.UTF8.GetBytes($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"data":{"k":"v"}}"""));

    private static ByteArrayContent Body(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(Protobuf);
        return content;
    }

    private HttpClient Client(string? accept = Protobuf + ", application/json")
    {
        var http = sim.Http();
        if (accept is not null)
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation("Accept", accept);
        }

        return http;
    }

    private async Task<JsonObject> StatusOf(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return response.Content.Headers.ContentType?.MediaType == Protobuf ? ProtoRoundTrip.Decode(bytes) : JsonNode.Parse(bytes)!.AsObject();
    }

    [Fact]
    public async Task Create_ProtobufBody_StoresAndAnswersInProtobuf()
    {
        using var http = Client();
        using var response = await http.PostAsync("/api/v1/namespaces/default/configmaps", Body(ConfigMap("pb-create")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(Protobuf, response.Content.Headers.ContentType?.ToString());
        var created = ProtoRoundTrip.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("v", created["data"]!["k"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(created["metadata"]!["uid"]!.GetValue<string>()));
        using var json = Client("application/json");
        var stored = await json.GetFromJsonAsync<JsonObject>("/api/v1/namespaces/default/configmaps/pb-create");
        Assert.Equal(created["metadata"]!["uid"]!.GetValue<string>(), stored!["metadata"]!["uid"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> BadBodies() => new()
    {
        // name, hex body, message
        { "pb-empty", "", "the object provided is unrecognized (must be of type ConfigMap): empty data (<empty>)" },
        { "pb-magic", "7b7d", "the object provided is unrecognized (must be of type ConfigMap): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({})" },
        { "pb-magic-only", "6b387300", "the object provided is unrecognized (must be of type ConfigMap): empty body (6b387300)" },
        { "pb-truncated-envelope", "6b3873000a0f0a0276311209436f6e66", "the object provided is unrecognized (must be of type ConfigMap): unexpected EOF (6b3873000a0f0a0276311209436f6e66)" },
        { "pb-truncated-object", "6b3873000a0f0a0276311209436f6e6669674d61701205" + "0a050a0163" + "1a002200", "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: unexpected EOF" },
        { "pb-varint", "6b3873000a0f0a0276311209436f6e6669674d6170120c" + "0affffffffffffffffffff01" + "1a002200", "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: proto: integer overflow" },
        { "pb-wiretype", "6b3873000a0f0a0276311209436f6e6669674d61701202" + "0801" + "1a002200", "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: proto: wrong wireType = 0 for field Metadata" },
        { "pb-kind", "6b3873000a0f0a0276311209" + "4e616d657370616365" + "1200" + "1a002200", "Namespace in version \"v1\" cannot be handled as a ConfigMap: converting (k8s.io/api/core/v1) Namespace to (k8s.io/kubernetes/pkg/apis/core) ConfigMap: unknown conversion" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Create_BadProtobufBody_Returns400AndStoresNothing(string name, string hex, string message)
    {
        var before = sim.Server.Store.All(sim.Server.Registry.Find("", "v1", "configmaps")!, "default").Count;
        using var http = Client();
        using var response = await http.PostAsync("/api/v1/namespaces/default/configmaps", Body(Convert.FromHexString(hex)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = await StatusOf(response);
        Assert.Equal(("BadRequest", 400, message), (status["reason"]!.GetValue<string>(), status["code"]!.GetValue<int>(), status["message"]!.GetValue<string>()));
        Assert.Equal(before, sim.Server.Store.All(sim.Server.Registry.Find("", "v1", "configmaps")!, "default").Count);
        Assert.Null(sim.Server.Store.Get(sim.Server.Registry.Find("", "v1", "configmaps")!, "default", name));
    }

    [Fact]
    public async Task Create_ProtobufBodyForCustomResource_Returns415()
    {
        using var json = Client("application/json");
        (await json.PostAsJsonAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", CrdFixtures.CronTab())).EnsureSuccessStatusCode();
        await Eventually.GetAsync(async () => (await json.GetAsync("/apis/stable.example.com/v1/namespaces/default/crontabs")).StatusCode, s => s == HttpStatusCode.OK, what: "CRD served");
        var body = ProtoRoundTrip.Encode(Encoding.UTF8.GetBytes("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ct"}}"""));
        using var http = Client();
        using var response = await http.PostAsync("/apis/stable.example.com/v1/namespaces/default/crontabs", Body(body));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var status = await StatusOf(response);
        Assert.Equal("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml", status["message"]!.GetValue<string>());
        Assert.Empty((await json.GetFromJsonAsync<JsonObject>("/apis/stable.example.com/v1/namespaces/default/crontabs"))!["items"]!.AsArray());

        // A custom resource asked for in protobuf is answered in JSON.
        (await json.PostAsJsonAsync("/apis/stable.example.com/v1/namespaces/default/crontabs", JsonNode.Parse("""{"apiVersion":"stable.example.com/v1","kind":"CronTab","metadata":{"name":"ct1"},"spec":{"image":"i"}}"""))).EnsureSuccessStatusCode();
        using var get = await http.GetAsync("/apis/stable.example.com/v1/namespaces/default/crontabs/ct1");
        Assert.Equal("application/json", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal("i", (await get.Content.ReadFromJsonAsync<JsonObject>())!["spec"]!["image"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("application/vnd.kubernetes.protobuf", Protobuf)]
    [InlineData("application/vnd.kubernetes.protobuf,application/json", Protobuf)]
    [InlineData("application/json;q=0.5, application/vnd.kubernetes.protobuf", Protobuf)]
    [InlineData("application/vnd.kubernetes.protobuf;q=0.5, application/json", "application/json")]
    [InlineData("application/json, application/vnd.kubernetes.protobuf", "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("application/json;as=Table;v=v1;g=meta.k8s.io, application/vnd.kubernetes.protobuf", "application/json")]
    public async Task Get_Accept_NegotiatesAsTheApiServer(string accept, string expected)
    {
        using var json = Client("application/json");
        await json.PostAsJsonAsync("/api/v1/namespaces/default/configmaps", JsonNode.Parse("""{"metadata":{"name":"pb-negotiate"}}"""));
        using var http = Client(accept);
        using var response = await http.GetAsync("/api/v1/namespaces/default/configmaps/pb-negotiate");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_Missing_AnswersProtobufStatus()
    {
        using var http = Client();
        using var response = await http.GetAsync("/api/v1/namespaces/default/configmaps/pb-none");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(Protobuf, response.Content.Headers.ContentType?.MediaType);
        var status = ProtoRoundTrip.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(("Status", "Failure", "NotFound", 404), (status["kind"]!.GetValue<string>(), status["status"]!.GetValue<string>(), status["reason"]!.GetValue<string>(), status["code"]!.GetValue<int>()));
        Assert.Equal("configmaps \"pb-none\" not found", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_Protobuf_IsAListMessage()
    {
        using var http = Client();
        (await http.PostAsync("/api/v1/namespaces/default/configmaps", Body(ConfigMap("pb-list")))).EnsureSuccessStatusCode();
        using var response = await http.GetAsync("/api/v1/namespaces/default/configmaps?labelSelector=");
        var list = ProtoRoundTrip.Decode(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(("ConfigMapList", "v1"), (list["kind"]!.GetValue<string>(), list["apiVersion"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(list["metadata"]!["resourceVersion"]!.GetValue<string>()));
        Assert.Contains(list["items"]!.AsArray(), i => i!["metadata"]!["name"]!.GetValue<string>() == "pb-list");
    }

    [Fact]
    public async Task Watch_Protobuf_StreamsLengthPrefixedEvents()
    {
        using var http = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dpb-watch&timeoutSeconds=30");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("application/vnd.kubernetes.protobuf;stream=watch", response.Content.Headers.ContentType?.ToString().Replace(" ", "", StringComparison.Ordinal));
        await using var stream = await response.Content.ReadAsStreamAsync();
        (await http.PostAsync("/api/v1/namespaces/default/configmaps", Body(ConfigMap("pb-watch")))).EnsureSuccessStatusCode();

        var frame = await ReadFrameAsync(stream);
        var (type, obj) = DecodeEvent(frame);
        Assert.Equal("ADDED", type);
        Assert.Equal("pb-watch", obj["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("ConfigMap", obj["kind"]!.GetValue<string>());
    }

    private static async Task<byte[]> ReadFrameAsync(Stream stream)
    {
        var header = new byte[4];
        await stream.ReadExactlyAsync(header);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(header)];
        await stream.ReadExactlyAsync(frame);
        return frame;
    }

    /// <summary>WatchEvent{1: type, 2: RawExtension{1: enveloped object}}.</summary>
    private static (string Type, JsonObject Object) DecodeEvent(byte[] frame)
    {
        var type = "";
        var e = new ProtoReader(frame);
        byte[] raw = [];
        while (!e.End)
        {
            var (n, wt) = e.ReadTag("WatchEvent");
            if (n == 1)
            {
                type = Encoding.UTF8.GetString(e.ReadLengthDelimited());
            }
            else if (n == 2)
            {
                var ext = new ProtoReader(e.ReadLengthDelimited());
                ext.ReadTag("RawExtension");
                raw = ext.ReadLengthDelimited().ToArray();
            }
            else
            {
                e.Skip(wt);
            }
        }

        return (type, ProtoRoundTrip.Decode(raw));
    }
}
