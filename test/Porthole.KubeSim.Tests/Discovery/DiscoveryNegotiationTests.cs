using Porthole.KubeSim.Discovery;

namespace Porthole.KubeSim.Tests.Discovery;

public sealed class DiscoveryNegotiationTests
{
    private const string KubectlAccept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    [Fact]
    public void Negotiate_KubectlAcceptHeader_ReturnsV2()
    {
        Assert.Equal("v2", DiscoveryNegotiation.Negotiate(KubectlAccept));
    }

    [Fact]
    public void Negotiate_V2Beta1Only_ReturnsV2Beta1()
    {
        Assert.Equal("v2beta1", DiscoveryNegotiation.Negotiate("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/json")]
    [InlineData("application/json, */*")]
    [InlineData("application/json;q=1,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0.5")]
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json")]
    public void Negotiate_PlainJsonPreferred_ReturnsNull(string? accept)
    {
        Assert.Null(DiscoveryNegotiation.Negotiate(accept));
    }

    [Fact]
    public void ContentType_V2_MatchesRealServer()
    {
        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", DiscoveryNegotiation.ContentType("v2"));
    }
}
