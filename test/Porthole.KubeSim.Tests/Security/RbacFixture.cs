using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Security;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Tests.Security;

/// <summary>A store seeded with the bootstrap policy, and helpers to add RBAC objects.</summary>
internal sealed class RbacFixture
{
    public RbacFixture(TimeProvider? time = null)
    {
        Store = new ObjectStore(time ?? TimeProvider.System);
        BootstrapPolicy.Seed(Store, Registry);
        Authz = new RbacAuthorizer(Store, Registry);
    }

    public ResourceRegistry Registry { get; } = new();

    public ObjectStore Store { get; }

    public RbacAuthorizer Authz { get; }

    public static UserInfo User(string name, params string[] groups) => new(name, [.. groups, SimUsers.Authenticated]);

    public ResourceType Type(string group, string plural) => Registry.FindPreferred(group, plural)!;

    public void Add(string group, string plural, string json) => Store.Create(Type(group, plural), JsonNode.Parse(json)!.AsObject());

    public bool Can(UserInfo user, string verb, string group, string resource, string ns = "", string name = "", string sub = "") =>
        Authz.Authorize(AuthorizationAttributes.ForResource(user, verb, group, resource, ns, name, sub)).Allowed;

    public bool CanPath(UserInfo user, string verb, string path) =>
        Authz.Authorize(AuthorizationAttributes.ForPath(user, verb, path)).Allowed;
}
