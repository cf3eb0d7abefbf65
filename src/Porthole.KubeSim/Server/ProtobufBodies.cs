using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Protobuf;

namespace Porthole.KubeSim.Server;

/// <summary>
/// Request bodies in application/vnd.kubernetes.protobuf: decoded into the JSON KubeSim stores,
/// or refused with the API server's own errors (transformDecodeError's wording: the type the
/// handler decodes into, then the serializer's or gogo-protobuf's message).
/// </summary>
internal static class ProtobufBodies
{
    /// <summary>The type a request's body must be: the resource's kind, or its subresource's.</summary>
    public static (string ApiVersion, string Kind) Expected(ResourceType type, string subresource) => subresource switch
    {
        "eviction" => ("policy/v1", "Eviction"),
        "binding" => ("v1", "Binding"),
        "scale" => ("autoscaling/v1", "Scale"),
        "token" => ("authentication.k8s.io/v1", "TokenRequest"),
        _ => (type.ApiVersion, type.Kind),
    };

    /// <summary>Decodes a protobuf body of the expected type into a JSON object.</summary>
    public static JsonObject Decode(ReadOnlyMemory<byte> body, string expectedApiVersion, string expectedKind)
    {
        string apiVersion, kind;
        ReadOnlyMemory<byte> raw;
        try
        {
            (apiVersion, kind, raw) = KubeProtobuf.ReadEnvelope(body);
        }
        catch (ProtobufException e)
        {
            throw ApiException.BadRequest($"the object provided is unrecognized (must be of type {expectedKind}): {e.Message} ({Summary(body.Span)})");
        }

        // copyKindDefaults: an envelope without a type takes the handler's.
        var bodyApiVersion = apiVersion.Length > 0 ? apiVersion : expectedApiVersion;
        var bodyKind = kind.Length > 0 ? kind : expectedKind;
        var version = bodyApiVersion[(bodyApiVersion.IndexOf('/') + 1)..];
        var message = KubeProtobuf.Schema.Find(bodyApiVersion, bodyKind);
        if (message is null)
        {
            throw ApiException.BadRequest($"{bodyKind} in version \"{version}\" cannot be handled as a {expectedKind}: no kind \"{bodyKind}\" is registered for version \"{bodyApiVersion}\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"");
        }

        if (bodyKind != expectedKind)
        {
            throw ApiException.BadRequest($"{bodyKind} in version \"{version}\" cannot be handled as a {expectedKind}: converting ({GoPackage(message)}) {bodyKind} to ({InternalPackage(expectedApiVersion)}) {expectedKind}: unknown conversion");
        }

        try
        {
            var json = KubeProtobuf.DecodeToJson(raw.Span, bodyApiVersion, bodyKind, message);
            return JsonNode.Parse(json)!.AsObject();
        }
        catch (ProtobufException e)
        {
            throw ApiException.BadRequest($"{bodyKind} in version \"{version}\" cannot be handled as a {expectedKind}: {e.Message}");
        }
    }

    /// <summary>DeleteOptions in a DELETE body (any group's version carries meta/v1's).</summary>
    public static JsonObject DecodeDeleteOptions(ReadOnlyMemory<byte> body)
    {
        var (apiVersion, _, _) = Safe(body);
        return Decode(body, apiVersion.Length > 0 && KubeProtobuf.Schema.Find(apiVersion, "DeleteOptions") is not null ? apiVersion : "v1", "DeleteOptions");
    }

    private static (string, string, ReadOnlyMemory<byte>) Safe(ReadOnlyMemory<byte> body)
    {
        try
        {
            return KubeProtobuf.ReadEnvelope(body);
        }
        catch (ProtobufException)
        {
            return ("", "", default);
        }
    }

    /// <summary>summarizeData: up to 30 bytes, as text for JSON, else hex.</summary>
    private static string Summary(ReadOnlySpan<byte> data) => data.Length switch
    {
        0 => "<empty>",
        _ when data[0] == '{' => System.Text.Encoding.UTF8.GetString(data[..Math.Min(30, data.Length)]) + (data.Length > 30 ? " ..." : ""),
        _ => Convert.ToHexStringLower(data[..Math.Min(30, data.Length)]) + (data.Length > 30 ? " ..." : ""),
    };

    private static string GoPackage(ProtoMessage m)
    {
        var package = m.Name[..m.Name.LastIndexOf('.')];
        return package switch
        {
            "meta.v1" => "k8s.io/apimachinery/pkg/apis/meta/v1",
            "apiextensions.v1" => "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1",
            _ when package.StartsWith("metrics.", StringComparison.Ordinal) => "k8s.io/metrics/pkg/apis/metrics/" + package["metrics.".Length..],
            _ => "k8s.io/api/" + package.Replace('.', '/'),
        };
    }

    private static string InternalPackage(string apiVersion)
    {
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/')] : "";
        return group switch
        {
            "" or "events.k8s.io" => "k8s.io/kubernetes/pkg/apis/core",
            "apiextensions.k8s.io" => "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions",
            _ => "k8s.io/kubernetes/pkg/apis/" + group.Split('.')[0],
        };
    }
}
