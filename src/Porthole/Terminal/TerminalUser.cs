using Porthole.Clusters;

namespace Porthole.Terminal;

/// <summary>
/// Whom a terminal runs as and which sign-in session asked for it: the request's
/// <see cref="KubeCredential"/> from the cluster layer (impersonation of the user, the user's
/// own token, or in auth mode none the kubeconfig's identity, which then is the user).
/// <see cref="SessionKey"/> identifies the sign-in session (null when the request has none,
/// e.g. auth mode none or a Bearer token: then the user name alone binds).
/// </summary>
public sealed record TerminalUser(string Name, string? SessionKey, KubeCredential Credential)
{
    /// <summary>True when <paramref name="other"/> is the same user in the same sign-in session.</summary>
    public bool SameSession(TerminalUser other) =>
        string.Equals(Name, other.Name, StringComparison.Ordinal) && string.Equals(SessionKey, other.SessionKey, StringComparison.Ordinal);

    /// <summary>The signed-in user of a request and its Kubernetes credential, or null (never the server's identity as a fallback).</summary>
    public static TerminalUser? From(HttpContext context) =>
        context.GetPortholeUser() is { } user && context.GetKubeCredential() is { } credential
            ? new TerminalUser(user.Name, SessionKeyOf(context), credential)
            : null;

    /// <summary>The cookie session's id; null for Bearer, proxy and auth mode none (no session: the user binds).</summary>
    private static string? SessionKeyOf(HttpContext context) => context.GetPortholeUser()?.Session?.Id.ToString("N");
}
