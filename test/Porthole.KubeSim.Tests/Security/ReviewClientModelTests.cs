using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Porthole.KubeSim.Security;

namespace Porthole.KubeSim.Tests.Security;

/// <summary>The review responses read back through the official client's models, as KubernetesClient would.</summary>
public sealed class ReviewClientModelTests
{
    private readonly RbacFixture _f = new();

    [Fact]
    public void SelfSubjectRulesReview_ReadByClientModel_HasRules()
    {
        var reviews = new AccessReviews(_f.Authz, TimeProvider.System);
        var request = KubernetesJson.Serialize(new V1SelfSubjectRulesReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SelfSubjectRulesReview",
            Spec = new V1SelfSubjectRulesReviewSpec { NamespaceProperty = "team-a" },
        });
        var response = reviews.SelfSubjectRulesReview(SimUsers.User(SimUsers.Dev), JsonNode.Parse(request)!.AsObject());
        var model = KubernetesJson.Deserialize<V1SelfSubjectRulesReview>(response.ToJsonString());
        Assert.False(model.Status.Incomplete);
        Assert.Contains(model.Status.ResourceRules, r => r.Resources.Contains("pods/exec") && r.Verbs.Contains("create"));
        Assert.Contains(model.Status.NonResourceRules, r => r.NonResourceURLs.Contains("/version"));
    }

    [Fact]
    public void SelfSubjectAccessReview_ReadByClientModel_Allowed()
    {
        var reviews = new AccessReviews(_f.Authz, TimeProvider.System);
        var request = KubernetesJson.Serialize(new V1SelfSubjectAccessReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SelfSubjectAccessReview",
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes { Verb = "create", Resource = "pods", Subresource = "exec", NamespaceProperty = "team-a" },
            },
        });
        var response = reviews.SelfSubjectAccessReview(SimUsers.User(SimUsers.Dev), JsonNode.Parse(request)!.AsObject());
        var model = KubernetesJson.Deserialize<V1SelfSubjectAccessReview>(response.ToJsonString());
        Assert.True(model.Status.Allowed);
        Assert.Equal("exec", model.Spec.ResourceAttributes.Subresource);
    }

    [Fact]
    public void TokenReviewAndSelfSubjectReview_ReadByClientModels()
    {
        var reviews = new AccessReviews(_f.Authz, TimeProvider.System);
        var token = reviews.TokenReview(
            JsonNode.Parse("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"t"}}""")!.AsObject(),
            (_, audiences) => new Porthole.KubeSim.Auth.AuthenticatedToken(SimUsers.User(SimUsers.Admin), audiences));
        var tokenModel = KubernetesJson.Deserialize<V1TokenReview>(token.ToJsonString());
        Assert.True(tokenModel.Status.Authenticated);
        Assert.Contains("system:masters", tokenModel.Status.User.Groups);

        var self = KubernetesJson.Deserialize<V1SelfSubjectReview>(reviews.SelfSubjectReview(SimUsers.User(SimUsers.Viewer)).ToJsonString());
        Assert.Equal("sim-viewer", self.Status.UserInfo.Username);
        Assert.NotNull(self.Metadata.CreationTimestamp);
    }
}
