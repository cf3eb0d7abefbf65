namespace Porthole.Apis.Resources;

/// <summary>
/// A Kubernetes REST path as the resource API accepts it: <c>api/v1/...</c> or
/// <c>apis/{group}/{version}/...</c>, optionally <c>namespaces/{ns}/</c>, then
/// <c>{resource}[/{name}[/{subresource}]]</c>. exec, attach, portforward and proxy are refused
/// (they go through the terminal paths, which audit them), as are the legacy watch and proxy
/// prefixes and anything that is not a plain relative path.
/// </summary>
internal sealed record KubePath(string Path, string? Namespace, string? Resource, string? Name, string? Subresource)
{
    private static readonly HashSet<string> Refused = new(StringComparer.OrdinalIgnoreCase) { "exec", "attach", "portforward", "proxy" };

    /// <summary>Parses <paramref name="path"/>, or returns the reason it is refused (with the status code to answer).</summary>
    public static (KubePath? Path, int Status, string? Error) Parse(string? path)
    {
        var segments = (path ?? "").Split('/');
        if (segments.Any(s => s.Length == 0 || s is "." or ".." || s.Contains('\\', StringComparison.Ordinal)))
        {
            return (null, 400, "The Kubernetes path must be a plain relative path such as api/v1/namespaces/default/pods.");
        }

        var rest = segments switch
        {
            ["api", _, .. var r] => r,
            ["apis", _, _, .. var r] => r,
            _ => null,
        };
        if (rest is null)
        {
            return (null, 400, "The Kubernetes path must start with api/{version} or apis/{group}/{version}.");
        }

        if (rest is ["watch" or "proxy", ..])
        {
            return (null, 400, $"The legacy '{rest[0]}' path prefix is not served; use ?watch over the hub (/ws) instead of watch paths.");
        }

        string? ns = null;
        if (rest is ["namespaces", var n, var first, ..] && !(rest.Length == 3 && first is "status" or "finalize"))
        {
            ns = n;
            rest = rest[2..];
        }

        var resource = rest.Length > 0 ? rest[0] : null;
        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? string.Join('/', rest[2..]) : null;
        if (rest.Length > 2 && Refused.Contains(rest[2]))
        {
            return (null, 403, $"The '{rest[2]}' subresource is not served by the resource API; terminals go through the terminal paths, which audit them.");
        }

        return (new KubePath(string.Join('/', segments), ns, resource, name, subresource), 200, null);
    }
}
