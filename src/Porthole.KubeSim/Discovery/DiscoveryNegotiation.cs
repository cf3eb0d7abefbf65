namespace Porthole.KubeSim.Discovery;

/// <summary>
/// Content negotiation for /api and /apis: kubectl 1.30+ asks for the aggregated
/// apidiscovery.k8s.io document first and falls back to the legacy APIVersions/APIGroupList.
/// </summary>
public static class DiscoveryNegotiation
{
    public const string Group = "apidiscovery.k8s.io";
    public const string ListKind = "APIGroupDiscoveryList";

    /// <summary>The Content-Type the real server answers an aggregated request with.</summary>
    public static string ContentType(string aggregatedVersion) =>
        $"application/json;g={Group};v={aggregatedVersion};as={ListKind}";

    /// <summary>
    /// The aggregated discovery version ("v2" or "v2beta1") the Accept header asks for before any
    /// plain JSON alternative, or null for the legacy documents. Media ranges are taken by
    /// descending q, in header order among equals.
    /// </summary>
    public static string? Negotiate(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return null;
        }

        var ranges = new List<(double Q, int Index, string? Version, bool Plain)>();
        var index = 0;
        foreach (var range in accept.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = range.Split(';', StringSplitOptions.TrimEntries);
            var type = parts[0].ToLowerInvariant();
            var q = 1.0;
            string? g = null, v = null, asKind = null;
            foreach (var p in parts.Skip(1))
            {
                var eq = p.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    continue;
                }

                var key = p[..eq].Trim().ToLowerInvariant();
                var value = p[(eq + 1)..].Trim().Trim('"');
                switch (key)
                {
                    case "q":
                        q = double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
                        break;
                    case "g":
                        g = value;
                        break;
                    case "v":
                        v = value;
                        break;
                    case "as":
                        asKind = value;
                        break;
                }
            }

            if (q <= 0)
            {
                continue;
            }

            var json = type is "application/json" or "application/*" or "*/*";
            if (json && g == Group && asKind == ListKind && v is "v2" or "v2beta1")
            {
                ranges.Add((q, index++, v, false));
            }
            else if (json && g is null && asKind is null)
            {
                ranges.Add((q, index++, null, true));
            }
        }

        var best = ranges.OrderByDescending(r => r.Q).ThenBy(r => r.Index).FirstOrDefault();
        return best.Plain ? null : best.Version;
    }
}
