using System.Text.RegularExpressions;

namespace Porthole.Hub.Channels;

/// <summary>
/// A logs channel's server-side filter: a substring, or a regular expression written
/// <c>/pattern/</c>, evaluated with a timeout so a catastrophic pattern ends the channel
/// instead of burning a core.
/// </summary>
internal sealed class LogFilter
{
    private readonly string? _substring;
    private readonly Regex? _regex;

    private LogFilter(string? substring, Regex? regex)
    {
        _substring = substring;
        _regex = regex;
    }

    public static LogFilter Parse(string? filter, TimeSpan timeout)
    {
        if (string.IsNullOrEmpty(filter))
        {
            return new LogFilter(null, null);
        }

        if (filter.Length > 1024)
        {
            throw new HubProtocolException(HubErrors.BadFilter, "\"filter\" is limited to 1024 characters");
        }

        if (filter.Length >= 2 && filter[0] == '/' && filter[^1] == '/')
        {
            try
            {
                return new LogFilter(null, new Regex(filter[1..^1], RegexOptions.CultureInvariant, timeout));
            }
            catch (ArgumentException e)
            {
                throw new HubProtocolException(HubErrors.BadFilter, $"\"filter\" is not a valid regular expression: {e.Message}");
            }
        }

        return new LogFilter(filter, null);
    }

    public bool Matches(string line)
    {
        if (_regex is not null)
        {
            try
            {
                return _regex.IsMatch(line);
            }
            catch (RegexMatchTimeoutException)
            {
                throw new HubProtocolException(HubErrors.BadFilter, $"the filter took over {_regex.MatchTimeout.TotalMilliseconds} ms on one line: use a simpler pattern");
            }
        }

        return _substring is null || line.Contains(_substring, StringComparison.Ordinal);
    }
}
