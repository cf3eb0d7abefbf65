using Porthole.Auth;

namespace Porthole.Terminal;

/// <summary>
/// Whom a terminal runs as and which sign-in session asked for it. <see cref="Impersonate"/> is
/// false only in auth mode none, where the kubeconfig context's own credentials are the user.
/// <see cref="SessionKey"/> identifies the sign-in session (null while Porthole has no session
/// store: then the user name alone binds).
/// </summary>
public sealed record TerminalUser(string Name, IReadOnlyList<string> Groups, bool Impersonate, string? SessionKey)
{
    /// <summary>True when <paramref name="other"/> is the same user in the same sign-in session.</summary>
    public bool SameSession(TerminalUser other) =>
        string.Equals(Name, other.Name, StringComparison.Ordinal) && string.Equals(SessionKey, other.SessionKey, StringComparison.Ordinal);

    /// <summary>The Impersonate-User/Impersonate-Group headers for Kubernetes calls made for this user (none in mode none).</summary>
    public Dictionary<string, List<string>>? ImpersonationHeaders() => Impersonate
        ? new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase) { ["Impersonate-User"] = [Name], ["Impersonate-Group"] = [.. Groups] }
        : null;

    /// <summary>The signed-in user of a request (set by the Auth and Impersonation stages), or null.</summary>
    public static TerminalUser? From(HttpContext context)
    {
        if (context.GetPortholeUser() is not { } user)
        {
            return null;
        }

        var impersonation = context.Features.Get<IImpersonationFeature>();
        return new TerminalUser(user.Name, user.Groups, impersonation?.Impersonate ?? user.AuthenticatedBy != AuthenticatedBy.None, SessionKey: null);
    }
}
