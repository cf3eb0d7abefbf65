using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Patching;

/// <summary>
/// Applies a PATCH request body to a live object by its Content-Type, with the statuses the real
/// patch handler gives. Server-side apply (application/apply-patch+yaml) is routed elsewhere: check
/// <see cref="IsApply"/> first.
/// </summary>
public static class Patcher
{
    /// <summary>True for the server-side apply content type, which this dispatcher does not handle.</summary>
    public static bool IsApply(string? contentType) => PatchTypes.Normalize(contentType) == PatchTypes.ApplyPatchYaml;

    /// <summary>
    /// Returns the patched copy of <paramref name="live"/> (unchanged input). Throws
    /// <see cref="ApiException"/>: 415 for an unsupported content type (strategic merge on a custom
    /// resource included), 400/413/422/500 as the real server for bad or failing patches; and
    /// <see cref="ArgumentException"/> for apply-patch+yaml, which belongs to server-side apply.
    /// </summary>
    public static JsonObject Apply(string? contentType, string kind, bool isCustomResource, JsonObject live, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(live);
        var type = PatchTypes.Normalize(contentType);
        if (type == PatchTypes.ApplyPatchYaml)
        {
            throw new ArgumentException("apply-patch+yaml is server-side apply; route it there", nameof(contentType));
        }

        var accepted = isCustomResource ? PatchTypes.CustomResource : PatchTypes.BuiltIn;
        if (!accepted.Contains(type))
        {
            throw UnsupportedMediaType(accepted);
        }

        return type switch
        {
            PatchTypes.JsonPatch => ApplyJsonPatch(live, body),
            PatchTypes.MergePatch => ApplyMergePatch(live, body),
            _ => ApplyStrategic(kind, live, body),
        };
    }

    /// <inheritdoc cref="Apply(string?, string, bool, JsonObject, ReadOnlySpan{byte})"/>
    public static JsonObject Apply(string? contentType, string kind, bool isCustomResource, JsonObject live, string body) =>
        Apply(contentType, kind, isCustomResource, live, Encoding.UTF8.GetBytes(body ?? ""));

    /// <summary>415 worded as negotiation.NewUnsupportedMediaTypeError words it.</summary>
    public static ApiException UnsupportedMediaType(IEnumerable<string> accepted) =>
        new(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: " + string.Join(", ", accepted));

    private static JsonObject ApplyJsonPatch(JsonObject live, ReadOnlySpan<byte> body)
    {
        var (node, error) = Parse(body);
        if (error is not null)
        {
            throw ApiException.BadRequest(error);
        }

        if (node is null)
        {
            return (JsonObject)live.DeepClone();
        }

        if (node is not JsonArray operations)
        {
            throw ApiException.BadRequest($"json: cannot unmarshal {JsonPatch.JsonKindName(node)} into Go value of type jsonpatch.Patch");
        }

        return AsObject(JsonPatch.Apply(live, operations));
    }

    private static JsonObject ApplyMergePatch(JsonObject live, ReadOnlySpan<byte> body)
    {
        var (node, error) = Parse(body);
        if (error is not null || node is null)
        {
            throw ApiException.BadRequest("Invalid JSON Patch");
        }

        return AsObject(MergePatch.Apply(live, node));
    }

    private static JsonObject ApplyStrategic(string kind, JsonObject live, ReadOnlySpan<byte> body)
    {
        var (node, error) = Parse(body);
        if (error is not null)
        {
            throw ApiException.BadRequest(error);
        }

        return node switch
        {
            null => (JsonObject)live.DeepClone(),
            JsonObject patch => StrategicMergePatch.Apply(kind, live, patch),
            _ => throw ApiException.BadRequest($"json: cannot unmarshal {JsonPatch.JsonKindName(node)} into Go value of type map[string]interface {{}}"),
        };
    }

    private static JsonObject AsObject(JsonNode? patched) => patched as JsonObject
        ?? throw PatchErrors.UndecodablePatchedObject(
            patched?.ToJsonString() ?? "null",
            $"json: cannot unmarshal {JsonPatch.JsonKindName(patched)} into Go value of type map[string]interface {{}}");

    /// <summary>Parses a JSON body; on failure returns an error worded like Go's encoding/json.</summary>
    private static (JsonNode? Node, string? Error) Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowTrailingCommas = false });
            return (JsonNode.Parse(ref reader), null);
        }
        catch (JsonException e)
        {
            return (null, GoSyntaxError(body, e));
        }
    }

    private static string GoSyntaxError(ReadOnlySpan<byte> body, JsonException e)
    {
        var offset = OffsetOf(body, e.LineNumber ?? 0, e.BytePositionInLine ?? 0);
        while (offset < body.Length && (body[offset] == (byte)' ' || body[offset] == (byte)'\t' || body[offset] == (byte)'\r' || body[offset] == (byte)'\n'))
        {
            offset++;
        }

        if (offset >= body.Length)
        {
            return "unexpected end of JSON input";
        }

        var c = (char)body[offset];
        return $"invalid character '{c}' looking for beginning of value";
    }

    private static int OffsetOf(ReadOnlySpan<byte> body, long line, long column)
    {
        var offset = 0;
        for (var l = 0L; l < line && offset < body.Length; offset++)
        {
            if (body[offset] == (byte)'\n')
            {
                l++;
            }
        }

        return (int)Math.Min(body.Length, offset + column);
    }
}
