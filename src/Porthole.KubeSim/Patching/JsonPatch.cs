using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Patching;

/// <summary>
/// RFC 6902 JSON patch as the API server applies it (evanphx/json-patch v4 semantics, which the
/// apiserver vendors): negative array indices count from the end, "add" and "replace" on an object
/// member both set it, failures become 422 with the library's wording as the cause.
/// </summary>
public static partial class JsonPatch
{
    /// <summary>The most operations the API server accepts in one JSON patch.</summary>
    public const int MaxOperations = 10000;

    /// <summary>
    /// Applies <paramref name="operations"/> to a copy of <paramref name="document"/> and returns it.
    /// Throws <see cref="ApiException"/>: 400 for a malformed operation list, 413 for too many
    /// operations, 422 (the real server's generic wording, the failure as cause) when one fails.
    /// </summary>
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(operations);
        foreach (var op in operations)
        {
            if (op is not JsonObject)
            {
                throw ApiException.BadRequest($"json: cannot unmarshal {JsonKindName(op)} into Go value of type jsonpatch.Operation");
            }
        }

        if (operations.Count > MaxOperations)
        {
            throw PatchErrors.TooManyOperations(operations.Count);
        }

        var root = new Root(document.DeepClone());
        foreach (var node in operations)
        {
            var op = (JsonObject)node!;
            var error = Kind(op) switch
            {
                "add" => Add(root, op),
                "remove" => Remove(root, op),
                "replace" => Replace(root, op),
                "move" => Move(root, op),
                "test" => Test(root, op),
                "copy" => Copy(root, op),
                var other => $"Unexpected kind: {other}",
            };
            if (error is not null)
            {
                throw PatchErrors.Unprocessable(error);
            }
        }

        return root.Node;
    }

    /// <summary>The Go json type word for a value that could not decode into a Go type.</summary>
    internal static string JsonKindName(JsonNode? node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "bool",
            _ => "null",
        },
        _ => "null",
    };

    private static string Kind(JsonObject op) =>
        op["op"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "unknown";

    /// <summary>Reads "path" or "from": the string, or the error text Go's decoding gives.</summary>
    private static (string? Value, string? Error) Field(JsonObject op, string name)
    {
        if (!op.TryGetPropertyValue(name, out var node) || node is null)
        {
            return (null, name == "path" ? "operation missing path field: missing value" : "operation, missing from field: missing value");
        }

        return node is JsonValue v && v.TryGetValue<string>(out var s)
            ? (s, null)
            : (null, $"json: cannot unmarshal {JsonKindName(node)} into Go value of type string");
    }

    /// <summary>The operation's value: absent and null both mean JSON null.</summary>
    private static JsonNode? Value(JsonObject op) => op["value"]?.DeepClone();

    private static bool HasValue(JsonObject op) => op["value"] is not null;

    private static string? Add(Root root, JsonObject op)
    {
        var (path, err) = Field(op, "path");
        if (err is not null)
        {
            return "add operation failed to decode path: missing value";
        }

        var (con, key) = Find(root, path!);
        if (con is null)
        {
            return $"add operation does not apply: doc is missing path: \"{path}\": missing value";
        }

        var addErr = AddTo(con, key, Value(op));
        return addErr is null ? null : $"error in add for path: '{path}': {addErr}";
    }

    private static string? Remove(Root root, JsonObject op)
    {
        var (path, err) = Field(op, "path");
        if (err is not null)
        {
            return "remove operation failed to decode path: missing value";
        }

        var (con, key) = Find(root, path!);
        if (con is null)
        {
            return $"remove operation does not apply: doc is missing path: \"{path}\": missing value";
        }

        var removeErr = RemoveFrom(con, key, out _);
        return removeErr is null ? null : $"error in remove for path: '{path}': {removeErr}";
    }

    private static string? Replace(Root root, JsonObject op)
    {
        var (path, err) = Field(op, "path");
        if (err is not null)
        {
            return $"replace operation failed to decode path: {err}";
        }

        if (path == "")
        {
            var value = Value(op);
            if (value is not JsonObject and not JsonArray)
            {
                return "replace operation value must be object or array: %!w(<nil>)";
            }

            root.Node = value;
            return null;
        }

        var (con, key) = Find(root, path!);
        if (con is null)
        {
            return $"replace operation does not apply: doc is missing path: {path}: missing value";
        }

        if (Get(con, key, out _) is not null)
        {
            return $"replace operation does not apply: doc is missing key: {path}: missing value";
        }

        Set(con, key, Value(op));
        return null;
    }

    private static string? Move(Root root, JsonObject op)
    {
        var (from, err) = Field(op, "from");
        if (err is not null)
        {
            return $"move operation failed to decode from: {err}";
        }

        var (con, key) = Find(root, from!);
        if (con is null)
        {
            return $"move operation does not apply: doc is missing from path: {from}: missing value";
        }

        var getErr = Get(con, key, out _);
        if (getErr is not null)
        {
            return $"error in move for path: '{key}': {getErr}";
        }

        var removeErr = RemoveFrom(con, key, out var value);
        if (removeErr is not null)
        {
            return $"error in move for path: '{key}': {removeErr}";
        }

        var (path, pathErr) = Field(op, "path");
        if (pathErr is not null)
        {
            return $"move operation failed to decode path: {pathErr}";
        }

        (con, key) = Find(root, path!);
        if (con is null)
        {
            return $"move operation does not apply: doc is missing destination path: {path}: missing value";
        }

        var addErr = AddTo(con, key, value);
        return addErr is null ? null : $"error in move for path: '{path}': {addErr}";
    }

    private static string? Test(Root root, JsonObject op)
    {
        var (path, err) = Field(op, "path");
        if (err is not null)
        {
            return $"test operation failed to decode path: {err}";
        }

        if (path == "")
        {
            return JsonValues.DeepEquals(root.Node, op["value"]) ? null : $"testing value {path} failed: test failed";
        }

        var (con, key) = Find(root, path!);
        if (con is null)
        {
            return $"test operation does not apply: is missing path: {path}: missing value";
        }

        var getErr = Get(con, key, out var current);
        if (getErr is not null)
        {
            return $"error in test for path: '{path}': {getErr}";
        }

        if (current is null || !HasValue(op))
        {
            return current is null && !HasValue(op) ? null : $"testing value {path} failed: test failed";
        }

        return JsonValues.DeepEquals(current, op["value"]) ? null : $"testing value {path} failed: test failed";
    }

    private static string? Copy(Root root, JsonObject op)
    {
        var (from, err) = Field(op, "from");
        if (err is not null)
        {
            return $"copy operation failed to decode from: {err}";
        }

        var (con, key) = Find(root, from!);
        if (con is null)
        {
            return $"copy operation does not apply: doc is missing from path: {from}: missing value";
        }

        var getErr = Get(con, key, out var value);
        if (getErr is not null)
        {
            return $"error in copy for from: '{from}': {getErr}";
        }

        var (path, pathErr) = Field(op, "path");
        if (pathErr is not null)
        {
            return "copy operation failed to decode path: missing value";
        }

        (con, key) = Find(root, path!);
        if (con is null)
        {
            return $"copy operation does not apply: doc is missing destination path: {path}: missing value";
        }

        var addErr = AddTo(con, key, value?.DeepClone());
        return addErr is null ? null : $"error while adding value during copy: {addErr}";
    }

    /// <summary>Go's strconv.Atoi: an optional sign and decimal digits.</summary>
    private static string? Atoi(string key, out int index)
    {
        index = 0;
        var digits = key.Length > 0 && (key[0] == '+' || key[0] == '-') ? key[1..] : key;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            return $"strconv.Atoi: parsing \"{key}\": invalid syntax";
        }

        if (!long.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) || l > int.MaxValue || l < int.MinValue)
        {
            return $"strconv.Atoi: parsing \"{key}\": value out of range";
        }

        index = (int)l;
        return null;
    }

    private static string InvalidIndex(int index) => $"Unable to access invalid index: {index}: invalid index referenced";
}
