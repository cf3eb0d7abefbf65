using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Kubelet;

/// <summary>How a simulated container behaves once started.</summary>
internal enum FateKind
{
    /// <summary>Runs until the pod is deleted.</summary>
    Forever,

    /// <summary>Exits on its own after <see cref="ContainerFate.RunFor"/> with <see cref="ContainerFate.ExitCode"/>.</summary>
    Exit,

    /// <summary>Its image never pulls.</summary>
    PullFail,

    /// <summary>
    /// Reads its stdin (a shell without a script, or cat, in a container with <c>stdin: true</c>):
    /// runs until the process an attach starts for it ends, then exits with that process's code.
    /// </summary>
    Interactive,
}

/// <summary>
/// The simulated behaviour of one container, steered by its image and command: an image naming
/// <c>pull-fail</c> never pulls, one naming <c>crash</c> exits 1 after a few seconds, and in a pod
/// with restartPolicy Never or OnFailure a short recognisable command (sleep N, echo, true, date,
/// false, exit N, or those joined in <c>sh -c</c>) finishes as it would; everything else runs forever.
/// </summary>
internal readonly record struct ContainerFate(FateKind Kind, TimeSpan RunFor, int ExitCode)
{
    private static readonly HashSet<string> Instant = new(StringComparer.Ordinal)
    {
        "echo", "printf", "true", ":", "date", "hostname", "env", "printenv", "pwd", "whoami", "uname", "id",
    };

    private static readonly HashSet<string> Shells = new(StringComparer.Ordinal) { "sh", "bash", "ash", "dash", "zsh" };

    /// <summary>Images whose default command is a shell.</summary>
    private static readonly HashSet<string> ShellImages = new(StringComparer.Ordinal)
    {
        "busybox", "alpine", "debian", "ubuntu", "fedora", "centos", "rockylinux", "almalinux", "archlinux", "opensuse", "amazonlinux",
    };

    public static readonly ContainerFate Forever = new(FateKind.Forever, TimeSpan.Zero, 0);

    public static ContainerFate Of(JsonObject container, string restartPolicy, KubeletOptions options)
    {
        var image = container.Str("image") ?? "";
        if (image.Contains("pull-fail", StringComparison.Ordinal))
        {
            return new ContainerFate(FateKind.PullFail, TimeSpan.Zero, 0);
        }

        if (image.Contains("crash", StringComparison.Ordinal))
        {
            return new ContainerFate(FateKind.Exit, options.CrashAfter, 1);
        }

        if (InteractiveMain(container) is not null)
        {
            return new ContainerFate(FateKind.Interactive, TimeSpan.Zero, 0);
        }

        if (restartPolicy is not ("Never" or "OnFailure"))
        {
            return Forever;
        }

        var argv = (container.Arr("command")?.Select(n => n?.ToString() ?? "") ?? [])
            .Concat(container.Arr("args")?.Select(n => n?.ToString() ?? "") ?? []).ToList();
        return Finite(argv, options.MaxFiniteRun) is { } finite ? new ContainerFate(FateKind.Exit, finite.Duration, finite.ExitCode) : Forever;
    }

    /// <summary>How long a recognised command runs and how it exits; null for anything else.</summary>
    public static (TimeSpan Duration, int ExitCode)? Finite(IReadOnlyList<string> argv, TimeSpan cap) =>
        Statements(argv) is { } statements ? Run(statements, cap) : null;

    /// <summary>
    /// True when the container runs a recognised finite command to completion (restartPolicy Never
    /// or OnFailure, an image that neither fails to pull nor crashes): its output is that command's.
    /// </summary>
    public static bool IsFiniteCommand(JsonObject container, string restartPolicy)
    {
        var image = container.Str("image") ?? "";
        if (restartPolicy is not ("Never" or "OnFailure") || image.Contains("pull-fail", StringComparison.Ordinal) || image.Contains("crash", StringComparison.Ordinal))
        {
            return false;
        }

        var argv = (container.Arr("command")?.Select(n => n?.ToString() ?? "") ?? [])
            .Concat(container.Arr("args")?.Select(n => n?.ToString() ?? "") ?? []).ToList();
        return Finite(argv, TimeSpan.MaxValue) is not null;
    }

    /// <summary>
    /// The main process of a container that reads its stdin, as an attach runs it: its command when
    /// that is a shell with no script (flags such as <c>-i</c> or <c>-l</c> only) or <c>cat</c>, or
    /// <c>sh</c> for a shell image (busybox, alpine, debian, ubuntu...) started without a command;
    /// null when the container has no <c>stdin: true</c> or runs anything else.
    /// </summary>
    public static IReadOnlyList<string>? InteractiveMain(JsonObject container)
    {
        if (container["stdin"]?.GetValueKind() != System.Text.Json.JsonValueKind.True)
        {
            return null;
        }

        var argv = (container.Arr("command")?.Select(n => n?.ToString() ?? "") ?? [])
            .Concat(container.Arr("args")?.Select(n => n?.ToString() ?? "") ?? []).ToList();
        if (argv.Count == 0)
        {
            var repo = (container.Str("image") ?? "").Split('@')[0].Split(':')[0];
            repo = repo[(repo.LastIndexOf('/') + 1)..];
            return ShellImages.Contains(repo) ? ["sh"] : null;
        }

        var verb = Base(argv[0]);
        var flagsOnly = argv.Skip(1).All(a => a.StartsWith("--", StringComparison.Ordinal) || (a.StartsWith('-') && !a.Contains('c', StringComparison.Ordinal)));
        return (Shells.Contains(verb) || verb == "cat") && flagsOnly ? argv : null;
    }

    /// <summary>The words of each statement: the script of <c>sh -c</c> split at <c>;</c>, <c>&amp;&amp;</c> and newlines, or the command itself.</summary>
    public static IReadOnlyList<IReadOnlyList<string>>? Statements(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0)
        {
            return null;
        }

        if (Base(argv[0]) is "sh" or "bash" or "ash" or "dash" && argv.Count >= 3 && argv[1] is "-c" or "-ec" or "-ce")
        {
            var statements = argv[2].Split(["\n", ";", "&&"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return [.. statements.Select(s => (IReadOnlyList<string>)s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('"', '\'')).ToList())];
        }

        return [argv];
    }

    private static (TimeSpan, int)? Run(IEnumerable<IReadOnlyList<string>> statements, TimeSpan cap)
    {
        var total = TimeSpan.Zero;
        var exit = 0;
        foreach (var words in statements)
        {
            if (words.Count == 0)
            {
                continue;
            }

            var verb = Base(words[0]);
            if (verb == "sleep" && words.Count >= 2 && Seconds(words[1]) is { } seconds)
            {
                total += TimeSpan.FromSeconds(seconds);
            }
            else if (verb == "false")
            {
                exit = 1;
                break;
            }
            else if (verb == "exit")
            {
                exit = words.Count >= 2 && int.TryParse(words[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code & 0xff : 0;
                break;
            }
            else if (!Instant.Contains(verb))
            {
                return null;
            }
        }

        return (total < cap ? total : cap, exit);
    }

    /// <summary>A sleep argument in seconds (s, m or h suffix), or null.</summary>
    public static double? Seconds(string text)
    {
        var unit = text.Length > 0 ? text[^1] : ' ';
        var scale = unit switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 0 };
        var number = scale == 0 ? text : text[..^1];
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n * (scale == 0 ? 1 : scale) : null;
    }

    private static string Base(string path) => path[(path.LastIndexOf('/') + 1)..];
}
