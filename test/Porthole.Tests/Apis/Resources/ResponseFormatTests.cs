using Porthole.Apis.Resources;

namespace Porthole.Tests.Apis.Resources;

public sealed class ResponseFormatTests
{
    [Theory]
    [InlineData("", false, "application/json")]
    [InlineData("", true, "application/json;as=Table;v=v1;g=meta.k8s.io, application/json")]
    [InlineData("application/json", false, "application/json")]
    [InlineData("application/json;as=Table;v=v1;g=meta.k8s.io", false, "application/json;as=Table;v=v1;g=meta.k8s.io, application/json")]
    [InlineData("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json", false, "application/json;as=Table;v=v1;g=meta.k8s.io, application/json")]
    [InlineData("application/yaml", false, "application/yaml")]
    [InlineData("text/yaml", true, "application/yaml;as=Table;v=v1;g=meta.k8s.io, application/yaml")]
    [InlineData("application/yaml;as=Table;v=v1;g=meta.k8s.io", false, "application/yaml;as=Table;v=v1;g=meta.k8s.io, application/yaml")]
    [InlineData("application/vnd.kubernetes.protobuf", false, "application/json")]
    [InlineData("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json", false, "application/json;as=Table;v=v1;g=meta.k8s.io, application/json")]
    [InlineData("application/vnd.kubernetes.protobuf, */*", false, "application/json")]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false, "application/json")]
    [InlineData("application/json;q=0.5, application/yaml", false, "application/yaml")]
    [InlineData("application/json, application/yaml", false, "application/json")]
    [InlineData("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io, application/yaml", false, "application/yaml")]
    [InlineData("application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json", false, "application/json")]
    public void Negotiate_ClientAccept_UpstreamAcceptAsTheApiServerWouldChoose(string accept, bool tableQuery, string upstream)
    {
        var format = ResponseFormat.Negotiate(accept, tableQuery);

        Assert.Equal(upstream, format?.UpstreamAccept);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml, text/html")]
    [InlineData("application/json;q=0")]
    [InlineData("application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io")]
    public void Negotiate_NothingServed_Null(string accept)
    {
        Assert.Null(ResponseFormat.Negotiate(accept, tableQuery: false));
    }
}
