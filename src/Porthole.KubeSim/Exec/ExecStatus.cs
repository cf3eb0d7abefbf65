using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Exec;

/// <summary>The metav1.Status documents the error channel carries at the end of an exec or attach.</summary>
public static class ExecStatus
{
    /// <summary>{"metadata":{},"status":"Success"}, as the kubelet marshals it (no kind or apiVersion).</summary>
    public static JsonObject Success() => new() { ["metadata"] = new JsonObject(), ["status"] = "Success" };

    /// <summary>Failure with reason NonZeroExitCode and a cause {reason: ExitCode, message: "n"}.</summary>
    public static JsonObject NonZeroExit(int exitCode, IReadOnlyList<string> command, int protocolVersion)
    {
        // v5 goes through the API server's stream translator, v4 straight to the kubelet and containerd.
        var inner = protocolVersion >= 5
            ? $"command terminated with exit code {exitCode}"
            : $"error executing command [{string.Join(' ', command)}], exit code {exitCode}";
        return new JsonObject
        {
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"command terminated with non-zero exit code: {inner}",
            ["reason"] = "NonZeroExitCode",
            ["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            },
        };
    }

    /// <summary>apierrors.NewInternalError: code 500, reason InternalError, the error as the only cause.</summary>
    public static JsonObject InternalError(string error) => new()
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = $"Internal error occurred: {error}",
        ["reason"] = "InternalError",
        ["details"] = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = error }) },
        ["code"] = 500,
    };

    /// <summary>The containerd error for an exec whose executable the image lacks.</summary>
    public static JsonObject ExecutableMissing(string runtimeError)
    {
        var execId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return InternalError(
            $"error executing command in container: failed to exec in container: failed to start exec \"{execId}\": " +
            $"OCI runtime exec failed: exec failed: unable to start container process: {runtimeError}: unknown");
    }

    /// <summary>The containerd error for an exec into a Windows container whose executable the image lacks (hcsshim's words).</summary>
    public static JsonObject WindowsExecutableMissing(string runtimeError)
    {
        var execId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return InternalError(
            $"error executing command in container: failed to exec in container: failed to start exec \"{execId}\": " +
            $"hcs::System::CreateProcess {execId}: {runtimeError}: unknown");
    }

    /// <summary>The container is not running (yet): what the kubelet answers through the API server.</summary>
    public static JsonObject ContainerNotFound(string container) =>
        InternalError($"unable to upgrade connection: container not found (\"{container}\")");

    /// <summary>The error-channel payload: the JSON (v4+), or a failure's message only (older; nothing on success).</summary>
    public static byte[]? Encode(JsonObject status, ExecProtocol protocol)
    {
        if (protocol.StatusAsJson)
        {
            return Encoding.UTF8.GetBytes(status.ToJsonString());
        }

        return (string?)status["status"] == "Success" ? null : Encoding.UTF8.GetBytes((string?)status["message"] ?? "");
    }
}
