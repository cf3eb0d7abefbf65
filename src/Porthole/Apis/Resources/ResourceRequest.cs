using Microsoft.AspNetCore.Http.Extensions;

namespace Porthole.Apis.Resources;

/// <summary>
/// Turns an incoming resource-API request into the upstream Kubernetes request: the query
/// (mutations get fieldManager=porthole unless they name one), the response format negotiated
/// from the client's Accept and ?as=Table (<see cref="ResponseFormat"/>), JSON or YAML bodies with
/// their content type. Anything Porthole refuses comes back as <see cref="Refusal"/>.
/// </summary>
internal static class ResourceRequest
{
    public const string FieldManager = "porthole";

    /// <summary>Content types each method takes (YAML spellings are normalised to application/yaml).</summary>
    private static readonly string[] WriteTypes = ["application/json", "application/yaml"];

    private static readonly string[] PatchTypes =
        ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"];

    public static async Task<(HttpRequestMessage? Request, Refusal? Refusal)> BuildAsync(HttpContext context, KubePath path)
    {
        var http = context.Request;
        var query = new QueryBuilder();
        var table = false;
        foreach (var (key, values) in http.Query)
        {
            switch (key)
            {
                case "watch" when values.Any(v => v is "true" or "1"):
                    return (null, new Refusal(400, "watch_not_served", "Watches are not served by the resource API; subscribe to a watch channel on the hub (/ws)."));
                case "as" when values is ["Table"]:
                    table = true;
                    continue;
                case "as":
                    return (null, new Refusal(400, "bad_request", "The only supported value of 'as' is Table."));
                default:
                    query.Add(key, [.. values.OfType<string>()]);
                    break;
            }
        }

        var method = new HttpMethod(http.Method);
        var mutation = method != HttpMethod.Get;
        if (mutation && method != HttpMethod.Delete && !http.Query.ContainsKey("fieldManager"))
        {
            query.Add("fieldManager", FieldManager);
        }

        if (ResponseFormat.Negotiate(http.Headers.Accept, table) is not { } format)
        {
            return (null, new Refusal(406, "not_acceptable",
                "Responses are application/json or application/yaml (as=Table;v=v1;g=meta.k8s.io for a Table); application/vnd.kubernetes.protobuf is answered as JSON."));
        }

        var request = new HttpRequestMessage(method, new Uri(Escape(path.Path) + query.ToQueryString(), UriKind.Relative));
        request.Headers.Accept.ParseAdd(format.UpstreamAccept);

        if (method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch || (method == HttpMethod.Delete && HasBody(http)))
        {
            var allowed = method == HttpMethod.Patch ? PatchTypes : WriteTypes;
            var type = Normalise(http.ContentType);
            if (type is null || !allowed.Contains(type, StringComparer.Ordinal))
            {
                request.Dispose();
                return (null, new Refusal(415, "unsupported_media_type",
                    $"{http.Method} takes a body of type {string.Join(", ", allowed)}{(type is null ? "" : $", not {type}")}."));
            }

            var body = new MemoryStream();
            await http.Body.CopyToAsync(body, context.RequestAborted);
            body.Position = 0;
            request.Content = new StreamContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        }

        return (request, null);
    }

    private static bool HasBody(HttpRequest request) => request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    private static string? Normalise(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType) || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return null;
        }

        var type = parsed.MediaType.Value?.ToLowerInvariant();
        return type is "application/x-yaml" or "text/yaml" ? "application/yaml" : type;
    }

    private static string Escape(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}

/// <summary>Why Porthole refuses a request before calling Kubernetes.</summary>
internal sealed record Refusal(int Status, string Code, string Detail);
