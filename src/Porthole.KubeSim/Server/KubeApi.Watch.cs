using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Protobuf;
using Porthole.KubeSim.Query;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Server;

internal sealed partial class KubeApi
{
    private static readonly byte[] EventEnd = "}\n"u8.ToArray();

    /// <summary>
    /// watch=true: streams `{"type","object"}` lines. resourceVersion unset or "0" (or
    /// sendInitialEvents=true) first sends the current objects as ADDED; an exact version resumes
    /// after it, or gets an ERROR event with 410 Expired when it is older than the history.
    /// </summary>
    private async Task WatchAsync(ApiRequest r)
    {
        var filter = _sim.Filter(r);
        var ns = r.Info.Namespace.Length > 0 ? r.Info.Namespace : null;
        var name = r.Info.Name;
        bool InScope(StoredObject o) => (ns is null || o.Namespace == ns) && (name.Length == 0 || o.Name == name);
        bool Match(StoredObject o) => InScope(o) && filter.Matches(o);

        var rvParam = r.Query("resourceVersion") ?? "";
        var sendInitial = r.Query("sendInitialEvents") == "true";
        if (r.Query("sendInitialEvents") is not null && r.Query("resourceVersionMatch") != "NotOlderThan")
        {
            throw ApiException.Invalid(r.Type, "", ("sendInitialEvents", "FieldValueForbidden", "Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled and the resourceVersionMatch is set to NotOlderThan"));
        }

        var bookmarks = r.Flag("allowWatchBookmarks");
        var table = TableRequest.From(r.Http.Request);
        var timeout = long.TryParse(r.Query("timeoutSeconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0
            ? TimeSpan.FromSeconds(t) : Timeout.InfiniteTimeSpan;

        IReadOnlyList<StoredObject> initial = [];
        StoreWatch? watch = null;
        ApiException? gone = null;
        var startRv = 0L;
        if (rvParam is "" or "0" || sendInitial)
        {
            var atLeast = rvParam is "" or "0" ? 0 : ParseResourceVersion(rvParam);
            var page = _sim.Store.List(r.Type, ns, Match);
            initial = page.Items;
            startRv = Math.Max(page.ResourceVersion, atLeast);
            watch = _sim.Store.Watch(r.Type, page.ResourceVersion);
        }
        else
        {
            startRv = ParseResourceVersion(rvParam);
            try
            {
                watch = _sim.Store.Watch(r.Type, startRv);
            }
            catch (ApiException e) when (e.Code == 410)
            {
                gone = e;
            }
        }

        var response = r.Http.Response;
        response.StatusCode = 200;
        response.ContentType = table is null && ApiResponses.WantsProtobuf(r.Http.Request) && KubeProtobuf.Schema.Find(r.Type.ApiVersion, r.Type.Kind) is not null
            ? KubeProtobuf.WatchMediaType
            : ApiResponses.Json;
        response.Headers.CacheControl = "no-cache, private";
        await response.StartAsync(r.Aborted);
        if (gone is not null)
        {
            await WriteEventAsync(r, "ERROR", gone.ToStatus());
            return;
        }

        using var _ = watch!;
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(r.Aborted);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            timeoutCts.CancelAfter(timeout);
        }

        var ct = timeoutCts.Token;
        _sim.Counters.WatchOpened();
        try
        {
            foreach (var obj in initial)
            {
                await WriteStoredEventAsync(r, WatchEvent.Added, obj, table);
            }

            if (sendInitial && bookmarks)
            {
                await WriteBookmarkAsync(r, startRv, initialEventsEnd: true);
            }

            await response.Body.FlushAsync(ct);
            await PumpAsync(r, watch!, InScope, filter, table, bookmarks, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // timeoutSeconds reached or the client went away: end the stream cleanly.
        }
        finally
        {
            _sim.Counters.WatchClosed();
        }
    }

    private async Task PumpAsync(ApiRequest r, StoreWatch watch, Func<StoredObject, bool> inScope, ListFilter filter, TableRequest? table, bool bookmarks, CancellationToken ct)
    {
        var lastRv = 0L;
        var reader = watch.Events;
        Task<bool>? waiting = null;
        while (!ct.IsCancellationRequested)
        {
            waiting ??= reader.WaitToReadAsync(ct).AsTask();
            if (bookmarks)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var delay = Task.Delay(_sim.Options.BookmarkInterval, _sim.Time, tick.Token);
                if (await Task.WhenAny(waiting, delay) != waiting)
                {
                    // Read the version first: every event up to it is already in the channel.
                    var rv = _sim.Store.ResourceVersion;
                    if (!reader.TryPeek(out _))
                    {
                        await WriteBookmarkAsync(r, Math.Max(rv, lastRv), initialEventsEnd: false);
                        await r.Http.Response.Body.FlushAsync(ct);
                    }

                    continue;
                }

                await tick.CancelAsync();
            }

            if (!await waiting)
            {
                return; // closed: the reader fell too far behind, as the API server drops slow watchers
            }

            waiting = null;
            while (reader.TryRead(out var e))
            {
                lastRv = e.ResourceVersion;
                if (!inScope(e.Object))
                {
                    continue;
                }

                if (filter.IsEverything)
                {
                    await WriteStoredEventAsync(r, e.Type, e.Object, table);
                }
                else if (filter.Filter(e) is var (type, obj))
                {
                    await WriteObjectEventAsync(r, type, obj, table);
                }
            }

            await r.Http.Response.Body.FlushAsync(ct);
        }
    }

    private Task WriteObjectEventAsync(ApiRequest r, string type, JsonObject obj, TableRequest? table)
    {
        obj["apiVersion"] = r.Type.ApiVersion;
        obj["kind"] = r.Type.Kind;
        if (table is null)
        {
            return WriteEventAsync(r, type, obj);
        }

        // The first table event carries the column definitions; later ones leave them out, as the real server does.
        var t = TableConverter.ToTable(r.Type, [obj], obj.ResourceVersion(), null, null, table.IncludeObject, _sim.Time.GetUtcNow(), _sim.CrdFor(r.Type), table.ApiVersion, noHeaders: table.HeadersSent);
        table.HeadersSent = true;
        return WriteEventAsync(r, type, t);
    }

    private Task WriteStoredEventAsync(ApiRequest r, string type, StoredObject obj, TableRequest? table)
    {
        if (table is not null || NeedsVersionRewrite(r.Type, obj))
        {
            return WriteObjectEventAsync(r, type, obj.Parse(), table);
        }

        var body = r.Http.Response.Body;
        if (IsProtobufWatch(r))
        {
            return WriteFrameAsync(r, type, obj.Json);
        }

        var prefix = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":");
        return WriteAllAsync(body, prefix, obj.Json, r.Aborted);
    }

    /// <summary>A protobuf watch (Accept application/vnd.kubernetes.protobuf, a kind with a message).</summary>
    private static bool IsProtobufWatch(ApiRequest r) => r.Http.Response.ContentType == KubeProtobuf.WatchMediaType;

    /// <summary>One length-prefixed WatchEvent frame (docs/protocols/kubesim-protobuf.md).</summary>
    private static async Task WriteFrameAsync(ApiRequest r, string type, byte[] objectJson)
    {
        using var w = new ProtoWriter(objectJson.Length + 64);
        if (!KubeProtobuf.TryEncodeWatchEvent(type, objectJson, w))
        {
            throw new InvalidOperationException($"no protobuf message for the {type} event's object");
        }

        await r.Http.Response.Body.WriteAsync(w.WrittenMemory, r.Aborted);
    }

    private static async Task WriteAllAsync(Stream body, byte[] prefix, byte[] json, CancellationToken ct)
    {
        await body.WriteAsync(prefix, ct);
        await body.WriteAsync(json, ct);
        await body.WriteAsync(EventEnd, ct);
    }

    private static Task WriteEventAsync(ApiRequest r, string type, JsonObject obj)
    {
        if (IsProtobufWatch(r))
        {
            return WriteFrameAsync(r, type, KubeJson.Bytes(obj));
        }

        var e = new JsonObject { ["type"] = type, ["object"] = obj };
        var bytes = KubeJson.Bytes(e);
        return WriteLineAsync(r.Http.Response.Body, bytes, r.Aborted);
    }

    private static async Task WriteLineAsync(Stream body, byte[] bytes, CancellationToken ct)
    {
        await body.WriteAsync(bytes, ct);
        await body.WriteAsync("\n"u8.ToArray(), ct);
    }

    private Task WriteBookmarkAsync(ApiRequest r, long rv, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture), ["creationTimestamp"] = null };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        return WriteEventAsync(r, "BOOKMARK", new JsonObject { ["kind"] = r.Type.Kind, ["apiVersion"] = r.Type.ApiVersion, ["metadata"] = metadata });
    }

    private static long ParseResourceVersion(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
            ? rv
            : throw ApiException.BadRequest($"resourceVersion: Invalid value: \"{value}\": must be a valid resource version");
}
