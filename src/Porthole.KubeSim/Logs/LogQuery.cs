using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Logs;

/// <summary>The PodLogOptions of a pods/log request, parsed and validated as the API server does.</summary>
public sealed record LogQuery(
    string? Container,
    bool Follow,
    bool Previous,
    bool Timestamps,
    long? TailLines,
    long? LimitBytes,
    long? SinceSeconds,
    DateTimeOffset? SinceTime)
{
    /// <summary>Parses the query string; throws 400 for unparsable values and 422 like ValidatePodLogOptions.</summary>
    public static LogQuery Parse(IQueryCollection query, string podName)
    {
        var sinceTimeText = Single(query, "sinceTime");
        DateTimeOffset? sinceTime = null;
        if (sinceTimeText is not null)
        {
            sinceTime = SimFormat.ParseTime(sinceTimeText)
                ?? throw ApiException.BadRequest($"parsing time \"{sinceTimeText}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{sinceTimeText}\" as \"2006\"");
        }

        var options = new LogQuery(
            Single(query, "container") is { Length: > 0 } c ? c : null,
            Flag(query, "follow"),
            Flag(query, "previous"),
            Flag(query, "timestamps"),
            Number(query, "tailLines"),
            Number(query, "limitBytes"),
            Number(query, "sinceSeconds"),
            sinceTime);
        options.Validate(podName);
        return options;
    }

    private void Validate(string podName)
    {
        var causes = new List<(string Field, string Type, string Body)>();
        if (TailLines < 0)
        {
            causes.Add(("tailLines", "FieldValueInvalid", $"Invalid value: {TailLines.Value.ToString(CultureInfo.InvariantCulture)}: must be greater than or equal to 0"));
        }

        if (LimitBytes < 1)
        {
            causes.Add(("limitBytes", "FieldValueInvalid", $"Invalid value: {LimitBytes.Value.ToString(CultureInfo.InvariantCulture)}: must be greater than 0"));
        }

        if (SinceSeconds is not null && SinceTime is not null)
        {
            causes.Add(("", "FieldValueForbidden", "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"));
        }
        else if (SinceSeconds < 1)
        {
            causes.Add(("sinceSeconds", "FieldValueInvalid", $"Invalid value: {SinceSeconds.Value.ToString(CultureInfo.InvariantCulture)}: must be greater than 0"));
        }

        if (causes.Count == 0)
        {
            return;
        }

        var list = new JsonArray();
        foreach (var (field, type, body) in causes)
        {
            list.Add(new JsonObject { ["reason"] = type, ["message"] = body, ["field"] = field });
        }

        var summary = string.Join(", ", causes.Select(c => $"{c.Field}: {c.Body}"));
        var details = new JsonObject { ["name"] = podName, ["kind"] = "PodLogOptions", ["causes"] = list };
        throw new ApiException(422, "Invalid", $"PodLogOptions \"{podName}\" is invalid: {(causes.Count == 1 ? summary : $"[{summary}]")}", details);
    }

    private static string? Single(IQueryCollection query, string key) =>
        query.TryGetValue(key, out var values) && values.Count > 0 ? values[^1] : null;

    private static bool Flag(IQueryCollection query, string key) => Single(query, key) switch
    {
        null or "" => false,
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        var other => throw ApiException.BadRequest($"strconv.ParseBool: parsing \"{other}\": invalid syntax"),
    };

    private static long? Number(IQueryCollection query, string key) => Single(query, key) switch
    {
        null or "" => null,
        var text => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw ApiException.BadRequest($"strconv.ParseInt: parsing \"{text}\": invalid syntax"),
    };
}
