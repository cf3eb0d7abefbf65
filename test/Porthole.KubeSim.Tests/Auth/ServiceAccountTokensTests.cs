using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Auth;
using Porthole.KubeSim.Security;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Tests.Auth;

/// <summary>TokenRequest and the bound tokens it issues, on a fake clock.</summary>
public sealed class ServiceAccountTokensTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly ResourceRegistry _registry = new();
    private readonly ObjectStore _store;
    private readonly ServiceAccountTokens _tokens;
    private readonly TokenRequests _requests;
    private readonly TokenAuthenticator _authenticator;

    public ServiceAccountTokensTests()
    {
        _store = new ObjectStore(_time);
        _tokens = new ServiceAccountTokens(_store, _registry, _time);
        _requests = new TokenRequests(_tokens, _store, _registry, _time);
        _authenticator = new TokenAuthenticator([("static", SimUsers.User(SimUsers.Viewer))], _tokens);
        Add("serviceaccounts", "builder", "sa-uid-1");
    }

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public void Create_Defaults_TokenRequestAnsweredAsTheApiServerDoes()
    {
        var answer = _requests.Create("ci", "builder", Request("{}"));

        Assert.Equal("""{"name":"builder","namespace":"ci","creationTimestamp":"2026-12-01T12:00:00Z"}""", answer["metadata"]!.ToJsonString());
        Assert.Equal("""{"audiences":["https://kubernetes.default.svc.cluster.local"],"expirationSeconds":3600,"boundObjectRef":null}""", answer["spec"]!.ToJsonString());
        Assert.Equal("2026-12-01T13:00:00Z", answer.Str("status", "expirationTimestamp"));
        var user = _authenticator.Authenticate(answer.Str("status", "token")!)!;
        Assert.Equal(("system:serviceaccount:ci:builder", "sa-uid-1"), (user.Name, user.Uid));
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"], user.Groups);
        Assert.StartsWith("JTI=", user.Extra["authentication.kubernetes.io/credential-id"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Authenticate_ExpiryOnTheClock_AcceptedUntilTheLeewayEnds()
    {
        var token = Token(Request("""{"spec":{"expirationSeconds":600}}"""));

        _time.Advance(TimeSpan.FromSeconds(600 + 60));
        Assert.NotNull(_authenticator.Authenticate(token));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_authenticator.Authenticate(token));
    }

    [Fact]
    public void Authenticate_Audiences_OnlyThoseTheTokenNames()
    {
        var vault = Token(Request("""{"spec":{"audiences":["vault","other"]}}"""));

        Assert.Null(_authenticator.Authenticate(vault));
        Assert.Equal(["vault"], _authenticator.Authenticate(vault, ["vault", "nope"])!.Audiences);
        Assert.Null(_authenticator.Authenticate("static", ["vault"]));
        Assert.Equal(AccessReviews.ApiAudiences, _authenticator.Authenticate("static", AccessReviews.ApiAudiences)!.Audiences);
    }

    [Fact]
    public void Authenticate_ServiceAccountRecreatedOrTokenTampered_Refused()
    {
        var token = Token(Request("{}"));
        var parts = token.Split('.');
        var other = new ServiceAccountTokens(_store, _registry, _time);
        var foreign = other.Issue(_store.Get(Type("serviceaccounts"), "ci", "builder")!.Parse(), AccessReviews.ApiAudiences, Start, TimeSpan.FromHours(1), null);
        other.Dispose();

        Assert.Null(_authenticator.Authenticate($"{parts[0]}.{parts[1]}x.{parts[2]}"));
        Assert.Null(_authenticator.Authenticate(foreign));
        _store.Remove(Type("serviceaccounts"), "ci", "builder");
        Add("serviceaccounts", "builder", "sa-uid-2");
        Assert.Null(_authenticator.Authenticate(token));
    }

    [Fact]
    public void Authenticate_BoundPod_ExtrasAndRevokedAMinuteAfterItsDeletion()
    {
        var pod = Add("pods", "worker", "pod-uid", spec: new JsonObject { ["serviceAccountName"] = "builder", ["nodeName"] = "kubesim-node-1" });
        var token = Token(Request("""{"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"worker"}}}"""));

        var user = _authenticator.Authenticate(token)!;
        Assert.Equal(["worker"], user.Extra["authentication.kubernetes.io/pod-name"]);
        Assert.Equal(["pod-uid"], user.Extra["authentication.kubernetes.io/pod-uid"]);
        Assert.Equal(["kubesim-node-1"], user.Extra["authentication.kubernetes.io/node-name"]);

        pod.Metadata()["deletionTimestamp"] = Porthole.KubeSim.Kubelet.SimFormat.Time(Start.AddSeconds(30));
        pod.Metadata()["resourceVersion"] = "";
        _store.Update(Type("pods"), pod);
        _time.Advance(TimeSpan.FromSeconds(90));
        Assert.NotNull(_authenticator.Authenticate(token));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_authenticator.Authenticate(token));
    }

    [Theory]
    [InlineData("""{"spec":{"expirationSeconds":599}}""", 422, "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes")]
    [InlineData("""{"spec":{"expirationSeconds":4294967297}}""", 422, "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds")]
    [InlineData("""{"metadata":{"name":"other"}}""", 422, "TokenRequest.authentication.k8s.io \"builder\" is invalid: metadata.name: Invalid value: \"other\": must match the service account name if specified")]
    [InlineData("""{"kind":"Pod"}""", 400, "the kind in the data (Pod) does not match the expected kind (TokenRequest)")]
    [InlineData("""{"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"lost"}}}""", 404, "pods \"lost\" not found")]
    [InlineData("""{"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"other-sa"}}}""", 400, "cannot bind token for serviceaccount \"builder\" to pod running with different serviceaccount name.")]
    [InlineData("""{"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"other-sa","uid":"wrong"}}}""", 400, "cannot bind token for serviceaccount \"builder\" to pod running with different serviceaccount name.")]
    [InlineData("""{"spec":{"boundObjectRef":{"kind":"Secret","apiVersion":"v1","name":"creds","uid":"wrong"}}}""", 409, "Operation cannot be fulfilled on Secret \"creds\": the UID in the bound object reference (wrong) does not match the UID in record. The object might have been deleted and then recreated")]
    [InlineData("""{"spec":{"boundObjectRef":{"kind":"Deployment","apiVersion":"apps/v1","name":"web"}}}""", 400, "cannot bind token to object of type apps/v1, Kind=Deployment")]
    public void Create_BadRequest_RefusedWithTheApiServersStatus(string body, int code, string message)
    {
        Add("pods", "other-sa", "pod-2", spec: new JsonObject { ["serviceAccountName"] = "default" });
        Add("secrets", "creds", "secret-uid");

        var e = Assert.Throws<ApiException>(() => _requests.Create("ci", "builder", Request(body)));

        Assert.Equal((code, message), (e.Code, e.Message));
    }

    [Fact]
    public void Create_UnknownServiceAccount_NotFound()
    {
        var e = Assert.Throws<ApiException>(() => _requests.Create("ci", "nobody", Request("{}")));

        Assert.Equal((404, "serviceaccounts \"nobody\" not found"), (e.Code, e.Message));
    }

    private string Token(JsonObject request) => _requests.Create("ci", "builder", request).Str("status", "token")!;

    private static JsonObject Request(string json)
    {
        var request = JsonNode.Parse(json)!.AsObject();
        request["apiVersion"] ??= "authentication.k8s.io/v1";
        return request;
    }

    private ResourceType Type(string plural) => _registry.Find("", "v1", plural)!;

    private JsonObject Add(string plural, string name, string uid, JsonObject? spec = null)
    {
        var obj = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "ci", ["uid"] = uid } };
        if (spec is not null)
        {
            obj["spec"] = spec;
        }

        return _store.Create(Type(plural), obj).Parse();
    }
}
