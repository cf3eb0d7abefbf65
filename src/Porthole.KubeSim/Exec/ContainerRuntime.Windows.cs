namespace Porthole.KubeSim.Exec;

/// <summary>
/// Windows container images (<c>mcr.microsoft.com/windows/...</c>): no <c>bash</c>, no <c>sh</c>,
/// no Linux tools; <c>powershell</c> (not in Nano Server) and <c>cmd</c>, with or without
/// <c>.exe</c>. They run the host's <c>sh</c> with the Windows shell's prompt
/// (<c>PS C:\&gt; </c>, <c>C:\&gt;</c>): <c>powershell -Command X</c> and <c>cmd /c X</c> run X,
/// other arguments are ignored and give an interactive shell. A missing executable fails as
/// hcsshim reports it ("The system cannot find the file specified").
/// </summary>
public sealed partial class ContainerRuntime
{
    /// <summary>What an exec runs: the host executable, its argv and extra environment; or the runtime's error.</summary>
    public sealed record Command(string? Path, IReadOnlyList<string> Argv, IReadOnlyDictionary<string, string> Environment, string? Error, bool Windows);

    private static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    /// <summary>True for a Windows container image.</summary>
    public static bool IsWindowsImage(string image) =>
        image.Split('@')[0].StartsWith("mcr.microsoft.com/windows", StringComparison.OrdinalIgnoreCase);

    /// <summary>Resolves argv as <paramref name="image"/> would run it (see <see cref="Resolve(string, string)"/> for Linux images).</summary>
    public Command Resolve(string image, IReadOnlyList<string> argv)
    {
        if (!IsWindowsImage(image))
        {
            var (path, error) = Resolve(image, argv[0]);
            return new Command(path, argv, NoEnvironment, error, Windows: false);
        }

        var name = System.IO.Path.GetFileName(argv[0].Replace('\\', '/')).ToLowerInvariant();
        name = name.EndsWith(".exe", StringComparison.Ordinal) ? name[..^4] : name;
        var nano = image.Contains("nanoserver", StringComparison.OrdinalIgnoreCase);
        var (prompt, script) = name switch
        {
            "powershell" when !nano => ("PS C:\\> ", After(argv, "-command", "-c")),
            "cmd" => ("C:\\>", After(argv, "/c", "/k")),
            _ => ((string?)null, (string?)null),
        };
        var (sh, _) = prompt is null ? (null, null) : Resolve("", "sh");
        if (prompt is null || sh is null)
        {
            return new Command(null, argv, NoEnvironment, "The system cannot find the file specified.", Windows: true);
        }

        return new Command(sh, script is null ? ["sh"] : ["sh", "-c", script], new Dictionary<string, string> { ["PS1"] = prompt }, null, Windows: true);
    }

    /// <summary>The arguments after the first of <paramref name="flags"/> (case-insensitive), joined; null without one.</summary>
    private static string? After(IReadOnlyList<string> argv, params string[] flags)
    {
        for (var i = 1; i < argv.Count; i++)
        {
            if (flags.Contains(argv[i], StringComparer.OrdinalIgnoreCase))
            {
                return string.Join(' ', argv.Skip(i + 1));
            }
        }

        return null;
    }
}
