using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Protobuf;
using Porthole.KubeSim.Query;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Server;

internal sealed partial class KubeApi
{
    private async Task GetAsync(ApiRequest r)
    {
        var stored = _sim.Store.Get(r.Type, r.Info.Namespace, r.Info.Name) ?? throw ApiException.NotFound(r.Type, r.Info.Name);
        var table = TableRequest.From(r.Http.Request);
        if (table is not null)
        {
            var t = TableConverter.ToTable(r.Type, [AsServed(r.Type, stored)], stored.ResourceVersion.ToString(CultureInfo.InvariantCulture), null, null, table.IncludeObject, _sim.Time.GetUtcNow(), _sim.CrdFor(r.Type), table.ApiVersion);
            await ApiResponses.WriteObjectAsync(r.Http, 200, t);
            return;
        }

        if (NeedsVersionRewrite(r.Type, stored))
        {
            await ApiResponses.WriteObjectAsync(r.Http, 200, AsServed(r.Type, stored));
            return;
        }

        await ApiResponses.WriteStoredAsync(r.Http, 200, stored);
    }

    private async Task ListAsync(ApiRequest r)
    {
        var filter = _sim.Filter(r);
        var limit = long.TryParse(r.Query("limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 0;
        string? after = null;
        var cont = r.Query("continue");
        if (!string.IsNullOrEmpty(cont))
        {
            var (tokenRv, startAfter) = ContinueToken.Decode(cont);
            ContinueToken.EnsureNotCompacted(tokenRv, startAfter, _sim.Store.CompactedResourceVersion);
            after = startAfter;
        }

        var ns = r.Info.Namespace.Length > 0 ? r.Info.Namespace : null;
        var page = _sim.Store.List(r.Type, ns, filter.Matches, limit, after);
        var rv = page.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        var next = page.ContinueAfter is null ? null : ContinueToken.Encode(page.ResourceVersion, page.ContinueAfter);
        long? remaining = page.ContinueAfter is not null && filter.IsEverything ? page.RemainingItemCount : null;

        var table = TableRequest.From(r.Http.Request);
        if (table is not null)
        {
            var objects = page.Items.Select(i => AsServed(r.Type, i)).ToList();
            var t = TableConverter.ToTable(r.Type, objects, rv, next, remaining, table.IncludeObject, _sim.Time.GetUtcNow(), _sim.CrdFor(r.Type), table.ApiVersion);
            await ApiResponses.WriteObjectAsync(r.Http, 200, t);
            return;
        }

        var listMessage = KubeProtobuf.Schema.Find(r.Type.ApiVersion, r.Type.Kind + "List");
        if (listMessage is not null && ApiResponses.WantsProtobuf(r.Http.Request))
        {
            using var w = new ProtoWriter(64 * 1024);
            var items = page.Items.Select(i => NeedsVersionRewrite(r.Type, i) ? KubeJson.Bytes(AsServed(r.Type, i)) : i.Json);
            KubeProtobuf.EncodeList(r.Type.ApiVersion, r.Type.Kind + "List", listMessage, KubeJson.Bytes(ListMetadata(r.Type, rv, next, remaining)), items, w);
            r.Http.Response.StatusCode = 200;
            r.Http.Response.ContentType = KubeProtobuf.MediaType;
            r.Http.Response.ContentLength = w.Length;
            await r.Http.Response.Body.WriteAsync(w.WrittenMemory, r.Aborted);
            return;
        }

        if (ApiResponses.WantsYaml(r.Http.Request))
        {
            var list = ListObject(r.Type, rv, next, remaining);
            var items = new JsonArray();
            foreach (var item in page.Items)
            {
                items.Add(AsServed(r.Type, item));
            }

            list["items"] = items;
            await ApiResponses.WriteObjectAsync(r.Http, 200, list);
            return;
        }

        r.Http.Response.StatusCode = 200;
        r.Http.Response.ContentType = ApiResponses.Json;
        await using var writer = new Utf8JsonWriter(r.Http.Response.Body, KubeJson.Writer);
        writer.WriteStartObject();
        writer.WriteString("kind", r.Type.Kind + "List");
        writer.WriteString("apiVersion", r.Type.ApiVersion);
        writer.WritePropertyName("metadata");
        ListMetadata(r.Type, rv, next, remaining).WriteTo(writer);
        writer.WriteStartArray("items");
        var written = 0;
        foreach (var item in page.Items)
        {
            if (NeedsVersionRewrite(r.Type, item))
            {
                AsServed(r.Type, item).WriteTo(writer);
            }
            else
            {
                writer.WriteRawValue(item.Json, skipInputValidation: true);
            }

            if (++written % 256 == 0)
            {
                await writer.FlushAsync(r.Aborted);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(r.Aborted);
    }

    private static JsonObject ListObject(ResourceType type, string rv, string? next, long? remaining) => new()
    {
        ["kind"] = type.Kind + "List",
        ["apiVersion"] = type.ApiVersion,
        ["metadata"] = ListMetadata(type, rv, next, remaining),
    };

    private static JsonObject ListMetadata(ResourceType type, string rv, string? next, long? remaining)
    {
        var meta = new JsonObject { ["resourceVersion"] = rv };
        if (next is not null)
        {
            meta["continue"] = next;
        }

        if (remaining is not null)
        {
            meta["remainingItemCount"] = remaining;
        }

        return meta;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> VersionMarkers = new();

    /// <summary>True when the object was stored through another served version (e.g. autoscaling/v1 vs v2).</summary>
    private static bool NeedsVersionRewrite(ResourceType type, StoredObject stored)
    {
        var marker = VersionMarkers.GetOrAdd(type.ApiVersion, v => System.Text.Encoding.UTF8.GetBytes($"\"apiVersion\":\"{v}\""));
        return stored.Json.AsSpan().IndexOf(marker) < 0;
    }

    /// <summary>The object as the requested version serves it.</summary>
    internal static JsonObject AsServed(ResourceType type, StoredObject stored)
    {
        var obj = stored.Parse();
        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        return obj;
    }
}
