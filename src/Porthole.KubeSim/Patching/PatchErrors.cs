using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Patching;

/// <summary>
/// The statuses the real patch handler answers with when a patch cannot be applied, so clients
/// see the same codes and wording (apiserver endpoints/handlers/patch.go).
/// </summary>
public static class PatchErrors
{
    /// <summary>The generic server message of a 422 built by NewGenericServerResponse.</summary>
    public const string UnprocessableMessage = "the server rejected our request due to an error in our request";

    /// <summary>
    /// 422 Invalid as errors.NewGenericServerResponse(422, ...) builds it: a fixed message and the
    /// underlying failure as an UnexpectedServerResponse cause (kubectl prints "The request is
    /// invalid: the server rejected our request due to an error in our request").
    /// </summary>
    public static ApiException Unprocessable(string cause) =>
        new(422, "Invalid", UnprocessableMessage, new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject
            {
                ["reason"] = "UnexpectedServerResponse",
                ["message"] = cause,
            }),
        });

    /// <summary>A failure the real server does not convert to a typed status: 500 with an empty reason.</summary>
    public static ApiException Internal(string message) => new(500, "", message);

    /// <summary>413 for a JSON patch with more operations than the server accepts.</summary>
    public static ApiException TooManyOperations(int count) =>
        new(413, "RequestEntityTooLarge", $"Request entity too large: The allowed maximum operations in a JSON patch is {JsonPatch.MaxOperations}, got {count}");

    /// <summary>
    /// 422 Invalid for a patched document that no longer decodes into the object, as
    /// errors.NewInvalid(GroupKind{}, "", [field.Invalid("patch", ...)]) words it.
    /// </summary>
    public static ApiException UndecodablePatchedObject(string patched, string why)
    {
        var message = $"patch: Invalid value: \"{Truncate(patched)}\": {why}";
        var details = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject
            {
                ["reason"] = "FieldValueInvalid",
                ["message"] = $"Invalid value: \"{Truncate(patched)}\": {why}",
                ["field"] = "patch",
            }),
        };
        return new ApiException(422, "Invalid", $" \"\" is invalid: {message}", details);
    }

    private static string Truncate(string s) => s.Length > 200 ? s[..200] + "..." : s;
}
