using System.Text.RegularExpressions;

namespace Porthole.Tests.Deploy;

/// <summary>One Dockerfile instruction: its keyword (upper case), its arguments, its line.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Line);

/// <summary>One build stage: FROM image AS name, and its instructions.</summary>
internal sealed record DockerStage(string Image, string Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);
}

/// <summary>
/// A Dockerfile read as the builder reads it (comments and parser directives dropped, backslash
/// continuations joined), split into stages. Enough to check one statically; no engine needed.
/// </summary>
internal static partial class Dockerfile
{
    public static IReadOnlyList<DockerStage> Parse(string text)
    {
        var stages = new List<DockerStage>();
        List<DockerInstruction>? current = null;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var start = i + 1;
            while (line.EndsWith('\\') && i + 1 < lines.Length)
            {
                var next = lines[++i].Trim();
                line = line[..^1].TrimEnd() + (next.StartsWith('#') ? "" : " " + next);
            }

            var match = InstructionLine().Match(line);
            var instruction = new DockerInstruction(match.Groups[1].Value.ToUpperInvariant(), match.Groups[2].Value.Trim(), start);
            if (instruction.Keyword == "FROM")
            {
                var from = FromLine().Match(instruction.Arguments);
                current = [];
                stages.Add(new DockerStage(from.Groups[1].Value, from.Groups[2].Success ? from.Groups[2].Value : stages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), current));
            }

            (current ?? throw new FormatException($"line {start}: {instruction.Keyword} before FROM")).Add(instruction);
        }

        return stages;
    }

    /// <summary>The sources and destination of a COPY (flags such as --from and --chown apart).</summary>
    public static (Dictionary<string, string> Flags, List<string> Sources, string Destination) Copy(DockerInstruction copy)
    {
        var words = copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var flags = words.TakeWhile(w => w.StartsWith("--", StringComparison.Ordinal))
            .Select(w => w[2..].Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
        var paths = words.Skip(flags.Count).ToList();
        return (flags, paths[..^1], paths[^1]);
    }

    [GeneratedRegex(@"^(\w+)\s*(.*)$")]
    private static partial Regex InstructionLine();

    [GeneratedRegex(@"^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();
}

/// <summary>
/// A .dockerignore as the builder applies it: patterns in order, the last one matching a path
/// (or any directory above it) decides, <c>!</c> re-includes, <c>**</c> spans directories.
/// </summary>
internal sealed class DockerIgnore(IReadOnlyList<(bool Include, Regex Pattern)> patterns)
{
    public static DockerIgnore Parse(string text) => new(text.Split('\n')
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => (Include: l.StartsWith('!'), Glob: l.TrimStart('!').Trim('/')))
        .Select(p => (p.Include, new Regex("^" + GlobToRegex(p.Glob) + "$", RegexOptions.CultureInvariant)))
        .ToList());

    /// <summary>True when <paramref name="path"/> (relative, '/'-separated) is left out of the build context.</summary>
    public bool Excludes(string path)
    {
        var parts = path.Split('/');
        var excluded = false;
        foreach (var (include, pattern) in patterns)
        {
            for (var n = 1; n <= parts.Length; n++)
            {
                if (pattern.IsMatch(string.Join('/', parts[..n])))
                {
                    excluded = !include;
                    break;
                }
            }
        }

        return excluded;
    }

    private static string GlobToRegex(string glob)
    {
        var regex = new System.Text.StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                regex.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                regex.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return regex.ToString();
    }
}
