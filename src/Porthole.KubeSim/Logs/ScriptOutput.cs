using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Logs;

/// <summary>
/// What a finite command (the ones the kubelet runs to completion, see <see cref="ContainerFate"/>)
/// prints: echo and printf their text, hostname the pod name, whoami root, pwd /, id, uname,
/// date its time, env and printenv the environment; sleep moves the time of later lines on.
/// Lines end at an exit or false, as the command does. So `kubectl logs job/x` of
/// <c>echo done</c> prints <c>done</c>, and of a bare <c>sleep 5</c> nothing; an interactive
/// container (a shell on its stdin) prints nothing either.
/// </summary>
internal static class ScriptOutput
{
    /// <summary>The lines of the container's command in this pod, or null when it is not a finite command.</summary>
    public static IReadOnlyList<(TimeSpan Offset, string Text)>? Of(JsonObject pod, string container, DateTimeOffset start)
    {
        var spec = SimContainers.Containers(pod, "containers").Concat(SimContainers.Containers(pod, "initContainers"))
            .FirstOrDefault(c => c.Str("name") == container);
        if (spec is not null && ContainerFate.InteractiveMain(spec) is not null)
        {
            return []; // a shell waiting on its stdin prints nothing to its log
        }

        if (spec is null || !ContainerFate.IsFiniteCommand(spec, pod.Str("spec", "restartPolicy") ?? "Always"))
        {
            return null;
        }

        var lines = new List<(TimeSpan, string)>();
        var at = TimeSpan.Zero;
        foreach (var words in ContainerFate.Statements(Argv(spec)) ?? [])
        {
            var verb = words.Count > 0 ? words[0][(words[0].LastIndexOf('/') + 1)..] : "";
            var args = words.Skip(1).ToList();
            switch (verb)
            {
                case "sleep" when args.Count > 0:
                    at += ContainerFate.Seconds(args[0]) is { } s ? TimeSpan.FromSeconds(s) : TimeSpan.Zero;
                    continue;
                case "exit" or "false":
                    return lines;
                case "echo":
                    var newline = args.FirstOrDefault() != "-n";
                    Add(lines, at, string.Join(' ', args.SkipWhile(a => a is "-n" or "-e")) + (newline ? "\n" : ""));
                    break;
                case "printf" when args.Count > 0:
                    Add(lines, at, Printf(args[0], args.Skip(1).ToList()));
                    break;
                case "hostname":
                    Add(lines, at, pod.Name() + "\n");
                    break;
                case "whoami":
                    Add(lines, at, "root\n");
                    break;
                case "pwd":
                    Add(lines, at, "/\n");
                    break;
                case "id":
                    Add(lines, at, "uid=0(root) gid=0(root) groups=0(root)\n");
                    break;
                case "uname":
                    Add(lines, at, (args.Contains("-a") ? $"Linux {pod.Name()} 6.1.0 #1 SMP x86_64 GNU/Linux" : "Linux") + "\n");
                    break;
                case "date":
                    Add(lines, at, Date(start + at) + "\n");
                    break;
                case "env" or "printenv":
                    Add(lines, at, Environment(pod, spec));
                    break;
            }
        }

        return lines;
    }

    private static List<string> Argv(JsonObject container) =>
        [.. (container.Arr("command")?.Select(n => n?.ToString() ?? "") ?? []).Concat(container.Arr("args")?.Select(n => n?.ToString() ?? "") ?? [])];

    /// <summary>Splits printed text into lines; an unterminated last line still counts as one.</summary>
    private static void Add(List<(TimeSpan, string)> lines, TimeSpan at, string text)
    {
        var parts = text.Split('\n');
        for (var i = 0; i < parts.Length; i++)
        {
            if (i < parts.Length - 1 || parts[i].Length > 0)
            {
                lines.Add((at, parts[i]));
            }
        }
    }

    /// <summary>printf's %s, %d and %% and the \n, \t and \\ escapes, the format reused while arguments remain.</summary>
    private static string Printf(string format, List<string> args)
    {
        var output = new StringBuilder();
        var next = 0;
        do
        {
            for (var i = 0; i < format.Length; i++)
            {
                var c = format[i];
                if (c == '\\' && i + 1 < format.Length)
                {
                    output.Append(format[++i] switch { 'n' => '\n', 't' => '\t', var other => other });
                }
                else if (c == '%' && i + 1 < format.Length)
                {
                    var verb = format[++i];
                    output.Append(verb == '%' ? "%" : next < args.Count ? args[next++] : "");
                }
                else
                {
                    output.Append(c);
                }
            }
        }
        while (next > 0 && next < args.Count);

        return output.ToString();
    }

    /// <summary>date's default format, in UTC: "Thu Dec  4 19:00:35 UTC 2026".</summary>
    private static string Date(DateTimeOffset t)
    {
        var u = t.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{u:ddd MMM} {u.Day,2} {u:HH:mm:ss} UTC {u:yyyy}");
    }

    private static string Environment(JsonObject pod, JsonObject container)
    {
        var env = new StringBuilder();
        env.Append("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
        env.Append("HOSTNAME=").Append(pod.Name()).Append('\n');
        foreach (var e in container.Arr("env")?.OfType<JsonObject>() ?? [])
        {
            if (e.Str("value") is { } value)
            {
                env.Append(e.Str("name")).Append('=').Append(value).Append('\n');
            }
        }

        env.Append("HOME=/root\n");
        return env.ToString();
    }
}
