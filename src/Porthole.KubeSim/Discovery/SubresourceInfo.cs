using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Discovery;

/// <summary>
/// What the real API server reports for one subresource: the kind it answers with (an empty
/// group and version mean the parent's own), and its verbs.
/// </summary>
public sealed record SubresourceInfo(string Name, string Group, string Version, string Kind, IReadOnlyList<string> Verbs)
{
    private static readonly string[] StatusVerbs = ["get", "patch", "update"];
    private static readonly string[] ConnectVerbs = ["create", "get"];
    private static readonly string[] Create = ["create"];

    /// <summary>True when the subresource answers with the parent's kind (status, ephemeralcontainers...).</summary>
    public bool SameKind(ResourceType parent) => Group == parent.Group && Version == parent.Version && Kind == parent.Kind;

    /// <summary>The subresource <paramref name="name"/> of <paramref name="parent"/>, as discovery lists it.</summary>
    public static SubresourceInfo For(ResourceType parent, string name) => name switch
    {
        "scale" => new(name, "autoscaling", "v1", "Scale", StatusVerbs),
        "log" => new(name, parent.Group, parent.Version, parent.Kind, ["get"]),
        "exec" => new(name, parent.Group, parent.Version, "PodExecOptions", ConnectVerbs),
        "attach" => new(name, parent.Group, parent.Version, "PodAttachOptions", ConnectVerbs),
        "portforward" => new(name, parent.Group, parent.Version, "PodPortForwardOptions", ConnectVerbs),
        "proxy" => new(name, parent.Group, parent.Version, parent.Kind + "ProxyOptions", ["create", "delete", "get", "patch", "update"]),
        "eviction" => new(name, "policy", "v1", "Eviction", Create),
        "binding" => new(name, parent.Group, parent.Version, "Binding", Create),
        "token" => new(name, "authentication.k8s.io", "v1", "TokenRequest", Create),
        "finalize" => new(name, parent.Group, parent.Version, parent.Kind, ["update"]),
        _ => new(name, parent.Group, parent.Version, parent.Kind, StatusVerbs),
    };
}
