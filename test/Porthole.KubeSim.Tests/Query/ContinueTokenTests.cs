using System.Buffers.Text;
using System.Text;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Query;

namespace Porthole.KubeSim.Tests.Query;

public sealed class ContinueTokenTests
{
    [Fact]
    public void Encode_MatchesTheRealFormat()
    {
        var token = ContinueToken.Encode(1234, "default/web-1");
        var json = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        Assert.Equal("""{"v":"meta.k8s.io/v1","rv":1234,"start":"default/web-1\u0000"}""", json);
        Assert.DoesNotContain('=', token);
    }

    [Theory]
    [InlineData(1234, "default/web-1")]
    [InlineData(7, "/cluster-scoped")]
    [InlineData(99, "kube-system/coredns-5d78c9869d-abcde")]
    public void Decode_EncodedToken_RoundTrips(long rv, string key)
    {
        var (decodedRv, after) = ContinueToken.Decode(ContinueToken.Encode(rv, key));
        Assert.Equal(rv, decodedRv);
        Assert.Equal(key, after);
    }

    [Theory]
    [InlineData("not base64!", "invalid continue token: continue key is not valid: illegal base64 data at input byte 3")]
    [InlineData("eyJ2IjoieCJ9", "invalid continue token: continue key is not valid: server does not recognize this encoded version \"x\"")]
    public void Decode_Garbage_ThrowsBadRequest(string token, string message)
    {
        var e = Assert.Throws<ApiException>(() => ContinueToken.Decode(token));
        Assert.Equal(400, e.Code);
        Assert.Equal("BadRequest", e.Reason);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("""{"v":"meta.k8s.io/v1","rv":0,"start":"a/b"}""", "incorrect encoded start resourceVersion (version meta.k8s.io/v1)")]
    [InlineData("""{"v":"meta.k8s.io/v1","rv":5,"start":""}""", "encoded start key empty (version meta.k8s.io/v1)")]
    [InlineData("""{"v":"meta.k8s.io/v1","rv":5,"start":"../secrets/x"}""", "../secrets/x")]
    public void Decode_InvalidFields_ThrowsBadRequest(string json, string why)
    {
        var token = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        var e = Assert.Throws<ApiException>(() => ContinueToken.Decode(token));
        Assert.Equal("invalid continue token: continue key is not valid: " + why, e.Message);
    }

    [Fact]
    public void EnsureNotCompacted_OldToken_ThrowsExpiredWithFreshToken()
    {
        var e = Assert.Throws<ApiException>(() => ContinueToken.EnsureNotCompacted(10, "default/web-1", 50));
        Assert.Equal(410, e.Code);
        Assert.Equal("Expired", e.Reason);
        Assert.StartsWith("The provided continue parameter is too old to display a consistent list result.", e.Message);
        var status = e.ToStatus();
        var fresh = status["metadata"]!["continue"]!.GetValue<string>();
        Assert.Equal((-1L, "default/web-1"), ContinueToken.Decode(fresh));
    }

    [Fact]
    public void EnsureNotCompacted_RecentToken_DoesNotThrow()
    {
        ContinueToken.EnsureNotCompacted(50, "a/b", 50);
        ContinueToken.EnsureNotCompacted(-1, "a/b", 50);
    }
}
