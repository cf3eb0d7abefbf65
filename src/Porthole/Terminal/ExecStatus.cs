using System.Globalization;
using System.Text.Json;

namespace Porthole.Terminal;

/// <summary>
/// The metav1.Status an exec ends with on the error channel (v4/v5): Success, a non-zero exit
/// code (reason NonZeroExitCode, cause ExitCode), or another failure with its message.
/// </summary>
public sealed record ExecStatus(bool Success, int? ExitCode, string Message)
{
    /// <summary>The status of a stream that ended without one (the connection dropped).</summary>
    public static readonly ExecStatus Lost = new(false, null, "the connection to the container was lost");

    /// <summary>
    /// True when the failure says the command's executable does not exist in the image: runc's
    /// words on Linux, hcsshim's ("The system cannot find the file specified") on Windows.
    /// </summary>
    public bool ExecutableMissing => !Success && ExitCode is null
        && (Message.Contains("executable file not found", StringComparison.Ordinal)
            || Message.Contains("no such file or directory", StringComparison.Ordinal)
            || Message.Contains("The system cannot find the file specified", StringComparison.Ordinal));

    public static ExecStatus Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            var status = root.TryGetProperty("status", out var s) ? s.GetString() : null;
            if (status == "Success")
            {
                return new ExecStatus(true, 0, "");
            }

            var message = root.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            if (root.TryGetProperty("details", out var details) && details.TryGetProperty("causes", out var causes) && causes.ValueKind == JsonValueKind.Array)
            {
                foreach (var cause in causes.EnumerateArray())
                {
                    if (cause.TryGetProperty("reason", out var r) && r.GetString() == "ExitCode"
                        && cause.TryGetProperty("message", out var code)
                        && int.TryParse(code.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var exit))
                    {
                        return new ExecStatus(false, exit, message);
                    }
                }
            }

            return new ExecStatus(false, null, message.Length > 0 ? message : "exec failed");
        }
        catch (JsonException)
        {
            // Before v4 the error channel carries the failure text alone.
            return new ExecStatus(false, null, System.Text.Encoding.UTF8.GetString(json));
        }
    }
}
