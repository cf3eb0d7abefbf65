namespace Porthole.KubeSim.Logs;

/// <summary>The output of one container instance, line by line (from 1, no gaps), with when each line was written.</summary>
internal interface ILogLines
{
    /// <summary>When line <paramref name="n"/> is or was written; null when the container never writes it.</summary>
    DateTimeOffset? TimeOf(long n);

    /// <summary>How many lines were written up to and including <paramref name="at"/>.</summary>
    long CountAt(DateTimeOffset at);

    /// <summary>The first line written at or after <paramref name="at"/>.</summary>
    long FirstAtOrAfter(DateTimeOffset at);

    /// <summary>The text of line <paramref name="n"/>, without the newline.</summary>
    string Text(long n);
}

/// <summary>A long-running container's endless generated lines (<see cref="LogGenerator"/>).</summary>
internal sealed class GeneratedLines(LogGenerator generator, LogSource source) : ILogLines
{
    public DateTimeOffset? TimeOf(long n) => generator.TimeOf(source, n);

    public long CountAt(DateTimeOffset at) => generator.CountAt(source, at);

    public long FirstAtOrAfter(DateTimeOffset at) => generator.FirstAtOrAfter(source, at);

    public string Text(long n) => generator.Text(source, n);
}

/// <summary>The fixed lines a finite command prints (<see cref="ScriptOutput"/>), each at its offset from the start.</summary>
internal sealed class ScriptLines(DateTimeOffset start, IReadOnlyList<(TimeSpan Offset, string Text)> lines) : ILogLines
{
    public DateTimeOffset? TimeOf(long n) => n >= 1 && n <= lines.Count ? start + lines[(int)n - 1].Offset : null;

    public long CountAt(DateTimeOffset at) => lines.Count(l => start + l.Offset <= at);

    public long FirstAtOrAfter(DateTimeOffset at)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (start + lines[i].Offset >= at)
            {
                return i + 1;
            }
        }

        return lines.Count + 1;
    }

    public string Text(long n) => lines[(int)n - 1].Text;
}
