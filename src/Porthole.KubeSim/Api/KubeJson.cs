using System.Text.Encodings.Web;
using System.Text.Json;

namespace Porthole.KubeSim.Api;

/// <summary>
/// JSON settings for everything KubeSim writes: escaping like Go's encoding/json (quotes as \",
/// no \u0022), so messages and objects read as the real API server's do.
/// </summary>
public static class KubeJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonWriterOptions Writer = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static byte[] Bytes(System.Text.Json.Nodes.JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Options);
}
