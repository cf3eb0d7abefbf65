using System.Net;
using System.Text.Json;
using Porthole.Clusters;
using Porthole.Clusters.Caching;

namespace Porthole.Hub.Channels;

/// <summary>
/// A <c>logs:</c> channel: one pod (one container, or all of them), or a workload through a
/// label selector or an owner (a Deployment... whose selector is read as the user), whose pods
/// come from the shared watch cache; pods that start later join
/// (from their first line), pods that go away end cleanly. Every line is tagged with pod and
/// container, optionally filtered, and batched by <see cref="LogBatcher"/>.
/// </summary>
internal sealed partial class LogsChannel(string name, IHubOutput output, LogRequest request, Cluster cluster, KubeCredential credential, WatchCache cache, HubOptions options, TimeProvider time, ILogger logger) : IHubChannel
{
    private readonly LogFilter _filter = LogFilter.Parse(request.Filter, options.FilterTimeout);
    private readonly LogBatcher _batcher = new(name, output, options, time);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sending = _batcher.RunAsync(stop.Token);
        try
        {
            var streaming = request.Pod is { } pod ? StreamPodAsync(pod, stop.Token)
                : request.Owner is { } owner ? StreamOwnerAsync(owner, stop.Token)
                : StreamWorkloadAsync(request.LabelSelector ?? "", stop.Token);
            await await Task.WhenAny(streaming, sending);
            _batcher.Complete();
            await sending;
        }
        finally
        {
            await stop.CancelAsync();
            await sending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task StreamPodAsync(string pod, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> containers = request.Container is { } one ? [one] : await ContainersOfAsync(pod, cancellationToken);
        await Task.WhenAll(containers.Select(c => StreamAsync(pod, c, joinedLater: false, failChannel: true, cancellationToken)));
    }

    private async Task<IReadOnlyList<string>> ContainersOfAsync(string pod, CancellationToken cancellationToken)
    {
        try
        {
            using var doc = await cluster.GetJsonAsync($"api/v1/namespaces/{request.Namespace}/pods/{pod}", credential, cancellationToken);
            return Containers(doc.RootElement);
        }
        catch (KubeApiException e)
        {
            throw new HubProtocolException(CodeFor(e.Status), e.Message);
        }
    }

    /// <summary>Streams one container's log into the batcher until it ends.</summary>
    private async Task StreamAsync(string pod, string container, bool joinedLater, bool failChannel, CancellationToken cancellationToken)
    {
        var path = $"api/v1/namespaces/{request.Namespace}/pods/{pod}/log?{request.Query(container, joinedLater)}";
        using var http = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        using var response = await cluster.SendAsync(http, credential, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var message = $"logs of {pod}/{container}: the API server answered {(int)response.StatusCode}: {await StatusMessageAsync(response, cancellationToken)}";
            if (failChannel)
            {
                throw new HubProtocolException(CodeFor(response.StatusCode), message);
            }

            HubLog.LogStreamEnded(logger, pod, container, message);
            return;
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } text)
            {
                string? stamp = null;
                if (request.Timestamps == true && text.IndexOf(' ', StringComparison.Ordinal) is > 0 and var space)
                {
                    stamp = text[..space];
                    text = text[(space + 1)..];
                }

                if (_filter.Matches(text))
                {
                    await _batcher.AddAsync(new LogLine(pod, container, text, stamp), cancellationToken);
                }
            }
        }
        catch (IOException) when (!failChannel)
        {
            // the pod went away under the stream
        }
    }

    private static async Task<string> StatusMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var status = JsonDocument.Parse(body);
            return status.RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }

    private static IReadOnlyList<string> Containers(JsonElement pod) =>
        pod.TryGetProperty("spec", out var spec) && spec.TryGetProperty("containers", out var list)
            ? [.. list.EnumerateArray().Select(c => c.GetProperty("name").GetString() ?? "")]
            : [];

    private static string CodeFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Forbidden => HubErrors.Forbidden,
        HttpStatusCode.Unauthorized => HubErrors.Unauthorized,
        HttpStatusCode.NotFound => HubErrors.NotFound,
        HttpStatusCode.BadRequest => HubErrors.BadPayload,
        _ => HubErrors.Upstream,
    };
}
