namespace Porthole.Clusters.Discovery;

/// <summary>
/// One resource kind a cluster serves, as discovery reports it (subresources listed with their
/// parent). <see cref="Crd"/> is true when a CustomResourceDefinition defines it.
/// </summary>
public sealed record ApiResource(
    string Group,
    string Version,
    string Kind,
    string Name,
    bool Namespaced,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Subresources,
    bool Preferred,
    bool Crd);

/// <summary>A loaded discovery: the API server's version and every resource kind.</summary>
public sealed record DiscoverySnapshot(string Version, IReadOnlyList<ApiResource> Resources, DateTimeOffset LoadedAt);
