using Porthole.Auth.Sessions;

namespace Porthole.Auth;

/// <summary>How the current request proved who it is.</summary>
public enum AuthenticatedBy
{
    /// <summary>Auth mode none: the kubeconfig's own identity, loopback only.</summary>
    None,
    Cookie,
    Bearer,

    /// <summary>X-Forwarded-User from a trusted proxy.</summary>
    Proxy,
}

/// <summary>The signed-in user of a request.</summary>
public sealed record PortholeUser(string Name, IReadOnlyList<string> Groups, AuthenticatedBy AuthenticatedBy)
{
    /// <summary>The cluster context chosen for this session (null: the default cluster).</summary>
    public string? Cluster { get; init; }

    /// <summary>Token mode: the user's own Kubernetes token, which the cluster layer calls with.</summary>
    public KubernetesToken? Token { get; init; }

    /// <summary>The session behind a cookie-authenticated request.</summary>
    public SessionData? Session { get; init; }
}

/// <summary>A user's Kubernetes bearer token; never printed (ToString is redacted).</summary>
public sealed record KubernetesToken(string Value)
{
    public override string ToString() => "KubernetesToken(redacted)";
}

/// <summary>Set by the Auth stage.</summary>
public interface IPortholeUserFeature
{
    PortholeUser User { get; }
}

internal sealed record PortholeUserFeature(PortholeUser User) : IPortholeUserFeature;
