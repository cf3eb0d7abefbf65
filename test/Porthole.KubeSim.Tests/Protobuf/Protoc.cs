using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Porthole.KubeSim.Tests.Protobuf;

/// <summary>protoc from the Google.Protobuf.Tools package: `--decode_raw` reads any protobuf without a schema.</summary>
internal static class Protoc
{
    public static string Path
    {
        get
        {
            var dir = typeof(Protoc).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProtocDirectory").Value!;
            var platform = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux_aarch64" : "linux_x64";
            var protoc = System.IO.Path.Combine(dir, platform, "protoc");
            if (!OperatingSystem.IsWindows())
            {
                // NuGet does not keep the executable bit.
                File.SetUnixFileMode(protoc, File.GetUnixFileMode(protoc) | UnixFileMode.UserExecute);
            }

            return protoc;
        }
    }

    public static async Task<string> DecodeRawAsync(byte[] message)
    {
        var psi = new ProcessStartInfo(Path, "--decode_raw") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        await p.StandardInput.BaseStream.WriteAsync(message);
        p.StandardInput.Close();
        var output = await p.StandardOutput.ReadToEndAsync();
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"protoc --decode_raw failed: {error}");
        return output.ReplaceLineEndings("\n");
    }
}
