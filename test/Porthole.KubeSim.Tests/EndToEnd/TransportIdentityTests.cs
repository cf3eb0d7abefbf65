using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Models;
using Porthole.KubeSim.Security;

namespace Porthole.KubeSim.Tests.EndToEnd;

/// <summary>Area 1: TLS with the kubeconfig's CA, bearer-token authentication and the identity reviews.</summary>
public sealed class TransportIdentityTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public TransportIdentityTests(SimFixture sim)
    {
        _sim = sim;
    }

    private KubernetesClientConfiguration Config(string user = SimUsers.Admin)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(_sim.Server.Kubeconfig));
        return KubernetesClientConfiguration.BuildConfigFromConfigFile(stream, currentContext: user);
    }

    private static X509Certificate2 ForeignCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=not-kubesim-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadCertificate(cert.Export(X509ContentType.Cert));
    }

    [Fact]
    public async Task Kubeconfig_CaData_IsTheServingCa()
    {
        var config = Config();
        Assert.Equal(_sim.Server.CaCertificate.Thumbprint, Assert.Single(config.SslCaCerts).Thumbprint);
        using var client = new Kubernetes(config);
        var namespaces = await client.CoreV1.ListNamespaceAsync();
        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default");
    }

    [Fact]
    public async Task Client_WithDifferentCa_FailsTls()
    {
        var config = Config();
        using var foreign = ForeignCa();
        config.SslCaCerts = [foreign];
        using var client = new Kubernetes(config);
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.CoreV1.ListNamespaceAsync());
        Assert.IsAssignableFrom<System.Security.Authentication.AuthenticationException>(e.InnerException);
    }

    [Fact]
    public async Task Http2_NegotiatedOverAlpn_Serves()
    {
        using var http = _sim.Http();
        http.DefaultRequestVersion = HttpVersion.Version20;
        http.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        using var response = await http.GetAsync("/api/v1/namespaces/default");
        response.EnsureSuccessStatusCode();
        Assert.Equal(HttpVersion.Version20, response.Version);
    }

    [Fact]
    public async Task Client_WithBadToken_Gets401Status()
    {
        var config = Config();
        config.AccessToken = "sim-admin.not-the-token";
        using var client = new Kubernetes(config);
        var (code, status) = await E2e.FailureAsync(() => client.CoreV1.ListNamespaceAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, code);
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("v1", (string?)status["apiVersion"]);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal("Unauthorized", (string?)status["message"]);
        Assert.Equal("Unauthorized", (string?)status["reason"]);
        Assert.Equal(401, (int?)status["code"]);
    }

    [Fact]
    public async Task TokenReview_EachUsersToken_ReturnsThatUserAndGroups()
    {
        using var admin = _sim.Client();
        foreach (var user in SimUsers.Names)
        {
            var review = await admin.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview
            {
                Spec = new V1TokenReviewSpec { Token = _sim.Server.Tokens[user] },
            });
            Assert.True(review.Status.Authenticated, user);
            Assert.Equal(user, review.Status.User.Username);
            Assert.Equal(SimUsers.GroupsOf(user).Order(), review.Status.User.Groups.Order());
        }
    }

    [Fact]
    public async Task TokenReview_UnknownToken_IsNotAuthenticated()
    {
        using var admin = _sim.Client();
        var review = await admin.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview
        {
            Spec = new V1TokenReviewSpec { Token = "nobody.0000" },
        });
        Assert.NotEqual(true, review.Status.Authenticated);
        Assert.Null(review.Status.User?.Username);
    }

    [Fact]
    public async Task SelfSubjectReview_EachUser_ReturnsTheCaller()
    {
        foreach (var user in SimUsers.Names)
        {
            using var client = _sim.Client(user);
            var review = await client.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview());
            Assert.Equal(user, review.Status.UserInfo.Username);
            Assert.Equal(SimUsers.GroupsOf(user).Order(), review.Status.UserInfo.Groups.Order());
        }
    }
}
