using System.Text.Json;
using System.Text.Json.Serialization;

namespace Porthole.Hub;

/// <summary>JSON settings of hub payloads: camelCase, optional fields left out, unknown fields refused.</summary>
internal static class HubJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>For subscribe payloads: a misspelt field is an error, not silently ignored.</summary>
    public static JsonSerializerOptions Strict { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>Reads a payload as <typeparamref name="T"/>; a bad payload throws <see cref="HubProtocolException"/>.</summary>
    public static T Read<T>(JsonElement? payload, string what)
        where T : class
    {
        if (payload is not { ValueKind: JsonValueKind.Object } element)
        {
            throw new HubProtocolException(HubErrors.BadPayload, $"{what} needs a payload object");
        }

        try
        {
            return element.Deserialize<T>(Strict) ?? throw new HubProtocolException(HubErrors.BadPayload, $"{what} needs a payload object");
        }
        catch (JsonException e)
        {
            throw new HubProtocolException(HubErrors.BadPayload, $"bad {what} payload: {e.Message}");
        }
    }
}
