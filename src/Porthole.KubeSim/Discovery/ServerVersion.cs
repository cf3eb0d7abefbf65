using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Discovery;

/// <summary>
/// The /version document. Server 1.31 keeps kubectl 1.30 to 1.32 within the supported skew.
/// </summary>
public static class ServerVersion
{
    public const string Major = "1";
    public const string Minor = "31";
    public const string GitVersion = "v1.31.0-kubesim";

    public static JsonObject Document() => new()
    {
        ["major"] = Major,
        ["minor"] = Minor,
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-08-13T07:28:49Z",
        ["goVersion"] = "go1.22.5",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };
}
