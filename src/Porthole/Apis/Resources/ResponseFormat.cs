using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Porthole.Apis.Resources;

/// <summary>
/// What the resource API answers in, negotiated from the client's Accept the way the API server
/// negotiates it: media ranges by quality (in the client's order on ties), the first one served
/// wins. JSON and YAML are served, each as the object or, with <c>as=Table;v=v1;g=meta.k8s.io</c>,
/// as a Table; <c>application/vnd.kubernetes.protobuf</c> is answered as JSON, since Porthole
/// never returns protobuf; <c>*/*</c> and <c>application/*</c> are JSON. A range whose <c>as</c>
/// names anything but a v1 Table is skipped, as the API server skips the conversions it lacks.
/// No Accept at all is JSON; nothing acceptable is a 406. The <c>?as=Table</c> query asks for a
/// Table in whichever format was negotiated.
/// </summary>
internal readonly record struct ResponseFormat(bool Yaml, bool Table)
{
    public const string Protobuf = "application/vnd.kubernetes.protobuf";

    private const string TableJson = "application/json;as=Table;v=v1;g=meta.k8s.io, application/json";
    private const string TableYaml = "application/yaml;as=Table;v=v1;g=meta.k8s.io, application/yaml";

    /// <summary>The Accept header sent to Kubernetes for this format.</summary>
    public string UpstreamAccept => (Table, Yaml) switch
    {
        (true, true) => TableYaml,
        (true, false) => TableJson,
        (false, true) => "application/yaml",
        _ => "application/json",
    };

    /// <summary>The format for <paramref name="accept"/>, or null when none of its ranges is served.</summary>
    public static ResponseFormat? Negotiate(StringValues accept, bool tableQuery)
    {
        if (StringValues.IsNullOrEmpty(accept) || accept.All(string.IsNullOrWhiteSpace))
        {
            return new ResponseFormat(false, tableQuery);
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges))
        {
            return null;
        }

        // OrderBy is stable: equal qualities keep the client's order.
        foreach (var range in ranges.Where(r => (r.Quality ?? 1) > 0).OrderByDescending(r => r.Quality ?? 1))
        {
            var yaml = range.MediaType.Value?.ToLowerInvariant() switch
            {
                "application/json" or Protobuf or "application/*" or "*/*" => false,
                "application/yaml" or "application/x-yaml" or "text/yaml" => true,
                _ => (bool?)null,
            };
            if (yaml is null || Conversion(range) is not { } table)
            {
                continue;
            }

            return new ResponseFormat(yaml.Value, table || tableQuery);
        }

        return null;
    }

    /// <summary>True for a v1 Table, false for the object itself, null for a conversion not served.</summary>
    private static bool? Conversion(MediaTypeHeaderValue range)
    {
        string? Parameter(string name) => range.Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value.Value;

        return Parameter("as") switch
        {
            null => false,
            "Table" when Parameter("g") == "meta.k8s.io" && Parameter("v") == "v1" => true,
            _ => null,
        };
    }
}
