namespace Porthole.KubeSim.Api;

/// <summary>
/// One served resource: what discovery lists, what RBAC names and what storage keys on.
/// Several versions of a group may share one storage table (<see cref="StorageKey"/>).
/// </summary>
public sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> Subresources)
{
    public static readonly IReadOnlyList<string> AllVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static readonly IReadOnlyList<string> CreateOnly = ["create"];

    public static readonly IReadOnlyList<string> ReadOnly = ["get", "list"];

    /// <summary>Singular name, the lower-cased kind as the API server reports it.</summary>
    public string Singular => Kind.ToLowerInvariant();

    /// <summary>"v1" for the core group, "group/version" otherwise.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Storage identity: group and plural, shared by every served version.</summary>
    public string StorageKey => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>"pods" or "deployments.apps", as the API server names a group-resource in messages.</summary>
    public string GroupResource => StorageKey;

    /// <summary>True when the resource has no storage (reviews) and only answers create.</summary>
    public bool IsVirtual => Verbs.Count == 1 && Verbs[0] == "create";

    /// <summary>Set for resources served from a CustomResourceDefinition.</summary>
    public bool IsCustom { get; init; }

    /// <summary>For a CRD version: its spec.versions[].schema.openAPIV3Schema, used by OpenAPI and field validation.</summary>
    public System.Text.Json.Nodes.JsonObject? CustomSchema { get; init; }

    public bool HasSubresource(string name) => Subresources.Contains(name);

    public bool Supports(string verb) => Verbs.Contains(verb);
}
