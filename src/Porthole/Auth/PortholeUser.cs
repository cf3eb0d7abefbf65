namespace Porthole.Auth;

/// <summary>How the current request proved who it is.</summary>
public enum AuthenticatedBy
{
    /// <summary>Auth mode none: the kubeconfig's own identity, loopback only.</summary>
    None,
    Cookie,
    Bearer,
}

/// <summary>The signed-in user of a request.</summary>
public sealed record PortholeUser(string Name, IReadOnlyList<string> Groups, AuthenticatedBy AuthenticatedBy);

/// <summary>Set by the Auth stage.</summary>
public interface IPortholeUserFeature
{
    PortholeUser User { get; }
}

internal sealed record PortholeUserFeature(PortholeUser User) : IPortholeUserFeature;
