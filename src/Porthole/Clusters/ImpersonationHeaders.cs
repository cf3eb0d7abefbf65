using System.Buffers;
using System.Net.Http.Headers;
using System.Text;

namespace Porthole.Clusters;

/// <summary>
/// How a signed-in user goes to Kubernetes: <c>Impersonate-User</c> and one
/// <c>Impersonate-Group</c> line per group, each name exactly as it is (commas, spaces inside,
/// non-ASCII as UTF-8, which the API server reads as bytes). The groups travel as one value
/// joined by <see cref="RepeatedHeaderEncoding.Separator"/> that the cluster's handler, once
/// <see cref="Install"/>ed, writes as separate lines (kubernetes/kubernetes#94683: a joined
/// <c>a, b</c> would be one group). A name HTTP cannot carry exactly is refused with
/// <see cref="Problem(string)"/>'s reason instead of being sent altered. Porthole sends no
/// <c>Impersonate-Uid</c> and no <c>Impersonate-Extra-*</c>.
/// </summary>
public static class ImpersonationHeaders
{
    public const string User = "Impersonate-User";
    public const string Group = "Impersonate-Group";

    private static readonly RepeatedHeaderEncoding GroupEncoding = new(Group);
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Control characters, surrogates and the BMP noncharacters: a name without any needs no closer look.</summary>
    private static readonly SearchValues<char> Suspicious = SearchValues.Create(
        [.. Chars('\0', '\u001F'), .. Chars('\u007F', '\u009F'), .. Chars('\uD800', '\uDFFF'), .. Chars('\uFDD0', '\uFDEF'), '\uFFFE', '\uFFFF']);

    /// <summary>Makes <paramref name="handler"/> write the impersonation headers' values as described above; every other header keeps its encoding.</summary>
    public static void Install(SocketsHttpHandler handler)
    {
        var previous = handler.RequestHeaderEncodingSelector;
        handler.RequestHeaderEncodingSelector = (name, request) =>
            name.Equals(Group, StringComparison.OrdinalIgnoreCase) ? GroupEncoding
            : name.Equals(User, StringComparison.OrdinalIgnoreCase) ? Utf8
            : previous?.Invoke(name, request);
    }

    /// <summary>
    /// Adds the headers for <paramref name="who"/> (to a request sent through an
    /// <see cref="Install"/>ed handler). Throws <see cref="ArgumentException"/> with
    /// <see cref="Problem(string, IReadOnlyList{string})"/>'s reason rather than send a name altered.
    /// </summary>
    public static void Add(HttpHeaders headers, KubeCredential.Impersonation who)
    {
        if (Problem(who.User, who.Groups) is { } problem)
        {
            throw new ArgumentException(problem, nameof(who));
        }

        headers.TryAddWithoutValidation(User, who.User);
        if (who.Groups.Count > 0)
        {
            headers.TryAddWithoutValidation(Group, string.Join(RepeatedHeaderEncoding.Separator, who.Groups));
        }
    }

    /// <summary>Why this user or one of its groups cannot be passed to Kubernetes exactly, naming which; null when all can.</summary>
    public static string? Problem(string user, IReadOnlyList<string> groups)
    {
        if (Problem(user) is { } userProblem)
        {
            return $"user name {Quote(user)} cannot be passed to Kubernetes: {userProblem}";
        }

        foreach (var group in groups)
        {
            if (Problem(group) is { } groupProblem)
            {
                return $"group {Quote(group)} of user {Quote(user)} cannot be passed to Kubernetes: {groupProblem}";
            }
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="name"/> cannot travel in an HTTP header exactly as it is, or null:
    /// empty; a space at either end (HTTP strips it); a control character (no header may hold
    /// one, CR and LF would end it); a Unicode noncharacter (U+FFFF separates the groups); a
    /// lone surrogate (no UTF-8 for it).
    /// </summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        if (name[0] == ' ' || name[^1] == ' ')
        {
            return "it starts or ends with a space, which HTTP would drop";
        }

        if (!name.AsSpan().ContainsAny(Suspicious))
        {
            return null;
        }

        var rest = name.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != OperationStatus.Done)
            {
                return "it is not valid Unicode (a lone surrogate)";
            }

            if (Rune.IsControl(rune))
            {
                return $"it contains the control character U+{rune.Value:X4}";
            }

            if (IsNoncharacter(rune))
            {
                return $"it contains U+{rune.Value:X4}, a Unicode noncharacter";
            }

            rest = rest[used..];
        }

        return null;
    }

    /// <summary>The name in quotes, with what <see cref="Problem(string)"/> objects to (and quotes, backslashes) as \uXXXX: safe for messages and logs.</summary>
    private static string Quote(string name)
    {
        var quoted = new StringBuilder(name.Length + 2).Append('"');
        var rest = name.AsSpan();
        while (!rest.IsEmpty)
        {
            var valid = Rune.DecodeFromUtf16(rest, out var rune, out var used) == OperationStatus.Done;
            if (valid && !Rune.IsControl(rune) && !IsNoncharacter(rune) && rune.Value is not ('"' or '\\'))
            {
                quoted.Append(rest[..used]);
            }
            else
            {
                foreach (var c in rest[..used])
                {
                    quoted.Append($"\\u{(int)c:X4}");
                }
            }

            rest = rest[used..];
        }

        return quoted.Append('"').ToString();
    }

    private static IEnumerable<char> Chars(char first, char last) => Enumerable.Range(first, last - first + 1).Select(c => (char)c);

    private static bool IsNoncharacter(Rune rune) => rune.Value is >= 0xFDD0 and <= 0xFDEF || (rune.Value & 0xFFFE) == 0xFFFE;
}
