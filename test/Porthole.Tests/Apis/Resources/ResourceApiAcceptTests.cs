using System.Net;
using static Porthole.Tests.Apis.ResourceClient;

namespace Porthole.Tests.Apis.Resources;

/// <summary>The client's Accept negotiated as the API server negotiates it, over real Kestrel against KubeSim.</summary>
public sealed class ResourceApiAcceptTests(KubeSimFixture kube) : IClassFixture<KubeSimFixture>
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";

    private static readonly string Namespaces = Url("sim-admin", "api/v1/namespaces");

    [Fact]
    public async Task Get_TableAcceptHeader_TableWithColumnsAndRows()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();

        using var response = await SendAsync(client, HttpMethod.Get, Namespaces, accept: TableAccept + ", application/json");
        var table = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Table", table.GetProperty("kind").GetString());
        Assert.Equal("meta.k8s.io/v1", table.GetProperty("apiVersion").GetString());
        Assert.Equal("Name", table.GetProperty("columnDefinitions")[0].GetProperty("name").GetString());
        Assert.Contains(table.GetProperty("rows").EnumerateArray(), r => r.GetProperty("cells")[0].GetString() == "default");
    }

    [Fact]
    public async Task Get_YamlAccept_ObjectOrTableInYaml()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();

        using var yaml = await SendAsync(client, HttpMethod.Get, Namespaces + "/default", accept: "application/yaml");
        using var yamlTable = await SendAsync(client, HttpMethod.Get, Namespaces, accept: "application/yaml;as=Table;v=v1;g=meta.k8s.io");

        Assert.Equal("application/yaml", yaml.Content.Headers.ContentType?.MediaType);
        var text = await yaml.Content.ReadAsStringAsync();
        Assert.Contains("kind: Namespace\n", text, StringComparison.Ordinal);
        Assert.Contains("  name: default\n", text, StringComparison.Ordinal);
        Assert.Equal("application/yaml", yamlTable.Content.Headers.ContentType?.MediaType);
        Assert.Contains("kind: Table\n", await yamlTable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ProtobufAccept_AnsweredAsJson()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();

        using var plain = await SendAsync(client, HttpMethod.Get, Namespaces + "/default", accept: "application/vnd.kubernetes.protobuf");
        using var table = await SendAsync(client, HttpMethod.Get, Namespaces, accept: "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io, application/json");

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("application/json", plain.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Namespace", (await JsonAsync(plain)).GetProperty("kind").GetString());
        Assert.Equal("application/json", table.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Table", (await JsonAsync(table)).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Get_NothingAcceptable_406PortholeProblem()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();

        using var response = await SendAsync(client, HttpMethod.Get, Namespaces, accept: "text/plain");

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("not_acceptable", (await JsonAsync(response)).GetProperty("code").GetString());
    }
}
