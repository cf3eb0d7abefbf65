using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly.CircuitBreaker;
using Porthole.Hub;

namespace Porthole.Clusters.Caching;

internal sealed partial class SharedWatch
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var access = AccessLoopAsync(cancellationToken);
        try
        {
            await UpstreamLoopAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopped: no subscriber left
        }

        await _stop.CancelAsync();
        await access.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task UpstreamLoopAsync(CancellationToken cancellationToken)
    {
        var relist = true;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (relist)
                {
                    await ListAsync(cancellationToken);
                    relist = false;
                }

                var (expired, events) = await WatchAsync(cancellationToken);
                if (expired)
                {
                    HubLog.WatchExpired(_logger, Key.ToString());
                    relist = true;
                    failures = 0;
                }
                else if (events == 0)
                {
                    // A watch that ends at once without news: do not spin.
                    await Task.Delay(Backoff(++failures), _time, cancellationToken);
                }
                else
                {
                    failures = 0;
                }
            }
            catch (KubeApiException e) when (Terminal(e.Status) is { } code)
            {
                EndAll(code, e.Message);
                return;
            }
            catch (Exception e) when (Transient(e, cancellationToken))
            {
                var delay = Backoff(++failures);
                HubLog.WatchRetry(_logger, Key.ToString(), delay.TotalSeconds, e.Message);
                SetStatus(WatchPayloads.Unreachable, Describe(e));
                await Task.Delay(delay, _time, cancellationToken);
            }
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        using var list = await _cluster.GetJsonAsync(Key.Path(), Upstream, cancellationToken);
        var root = list.RootElement;
        var apiVersion = root.TryGetProperty("apiVersion", out var av) ? av.GetString() : null;
        var kind = root.TryGetProperty("kind", out var k) && k.GetString() is { } listKind && listKind.EndsWith("List", StringComparison.Ordinal) ? listKind[..^4] : null;
        var fresh = new Dictionary<string, CachedObject>(StringComparer.Ordinal);
        if (root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                var obj = JsonObject.Create(item)!;
                if (apiVersion is not null && !obj.ContainsKey("apiVersion"))
                {
                    obj["apiVersion"] = apiVersion;
                }

                if (kind is not null && !obj.ContainsKey("kind"))
                {
                    obj["kind"] = kind;
                }

                var cached = WatchPayloads.Cache(obj);
                fresh[cached.Key] = cached;
            }
        }

        MarkConnected();
        var rv = root.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("resourceVersion", out var rvElement) ? rvElement.GetString() ?? "" : "";
        ApplyList(fresh, rv);
    }

    /// <summary>Watches from the current resourceVersion; true when it expired (410) and a relist is due.</summary>
    private async Task<(bool Expired, int Events)> WatchAsync(CancellationToken cancellationToken)
    {
        string from;
        lock (_gate)
        {
            from = _resourceVersion;
        }

        var timeout = 240 + Random.Shared.Next(120);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Key.Path(from, watch: true, timeoutSeconds: timeout), UriKind.Relative));
        using var response = await _cluster.SendAsync(request, Upstream, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Gone)
        {
            return (true, 0);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new KubeApiException(response.StatusCode, response.ReasonPhrase ?? "", "watch refused");
        }

        MarkConnected();

        var tag = new KeyValuePair<string, object?>("cluster", _cluster.Name);
        _metrics.UpstreamWatches.Add(1, tag);
        var events = 0;
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0 || JsonNode.Parse(line) is not JsonObject e || e["object"] is not JsonObject obj)
                {
                    continue;
                }

                var type = e["type"]?.GetValue<string>();
                switch (type)
                {
                    case "ERROR":
                        var code = obj["code"]?.GetValue<int>() ?? 500;
                        if (code == (int)HttpStatusCode.Gone)
                        {
                            return (true, events);
                        }

                        throw new KubeApiException((HttpStatusCode)code, obj["reason"]?.GetValue<string>() ?? "", obj["message"]?.GetValue<string>() ?? "watch error");
                    case "BOOKMARK":
                        if (obj["metadata"]?["resourceVersion"]?.GetValue<string>() is { } bookmark)
                        {
                            ApplyBookmark(bookmark);
                        }

                        events++;
                        break;
                    case WatchPayloads.Added or WatchPayloads.Modified or WatchPayloads.Deleted:
                        e.Remove("object");
                        ApplyEvent(type, obj);
                        events++;
                        break;
                }
            }

            return (false, events);
        }
        finally
        {
            _metrics.UpstreamWatches.Add(-1, tag);
        }
    }

    /// <summary>After trouble, the first answer from the API server tells subscribers it is back.</summary>
    private void MarkConnected()
    {
        if (Volatile.Read(ref _status) is not null)
        {
            SetStatus(WatchPayloads.Connected, null);
        }
    }

    /// <summary>Answers that no retry will change: the subscribers get an error and the channel ends.</summary>
    private static string? Terminal(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => HubErrors.Unauthorized,
        HttpStatusCode.Forbidden => HubErrors.Forbidden,
        HttpStatusCode.NotFound => HubErrors.NotFound,
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => HubErrors.BadSelector,
        HttpStatusCode.MethodNotAllowed => HubErrors.BadPayload,
        _ => null,
    };

    private static bool Transient(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException or IOException or BrokenCircuitException or JsonException or KubeApiException => true,
        _ => false,
    };

    private static string Describe(Exception e) => e switch
    {
        BrokenCircuitException => "the cluster's circuit breaker is open: too many failed calls",
        KubeApiException k => $"the API server answered {(int)k.Status}",
        HttpRequestException h => $"cannot reach the API server: {h.Message}",
        _ => "the watch connection broke: " + e.Message,
    };

    /// <summary>0.5 s doubling to 30 s, each with jitter of up to half.</summary>
    private static TimeSpan Backoff(int failures)
    {
        var full = Math.Min(MaxBackoff.TotalMilliseconds, 500 * Math.Pow(2, Math.Min(failures - 1, 10)));
        return TimeSpan.FromMilliseconds(full * (0.5 + (Random.Shared.NextDouble() / 2)));
    }
}
