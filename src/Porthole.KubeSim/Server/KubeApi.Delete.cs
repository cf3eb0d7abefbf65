using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Controllers;

namespace Porthole.KubeSim.Server;

internal sealed partial class KubeApi
{
    private async Task DeleteAsync(ApiRequest r)
    {
        var options = await ReadDeleteOptionsAsync(r);
        var (obj, _) = _sim.Controllers.Deleter.Delete(r.Type, r.Info.Namespace, r.Info.Name, options);
        await ApiResponses.WriteStoredAsync(r.Http, 200, obj);
    }

    /// <summary>DELETE on a collection: deletes what the selectors match; answers with the list of them.</summary>
    private async Task DeleteCollectionAsync(ApiRequest r)
    {
        var options = await ReadDeleteOptionsAsync(r);
        var filter = _sim.Filter(r);
        var ns = r.Info.Namespace.Length > 0 ? r.Info.Namespace : null;
        var items = new JsonArray();
        foreach (var obj in _sim.Store.List(r.Type, ns, filter.Matches).Items)
        {
            try
            {
                var (after, _) = _sim.Controllers.Deleter.Delete(r.Type, obj.Namespace, obj.Name, options);
                items.Add(after.Parse());
            }
            catch (ApiException e) when (e.Code == 404)
            {
            }
        }

        var list = ListObject(r.Type, _sim.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null);
        list["items"] = items;
        await ApiResponses.WriteObjectAsync(r.Http, 200, list);
    }

    private static async Task<DeleteOptions> ReadDeleteOptionsAsync(ApiRequest r)
    {
        JsonObject? body = null;
        if ((r.Http.Request.ContentLength is > 0 || r.Http.Request.Headers.TransferEncoding.Count > 0) && ContentNegotiation.IsProtobufBody(r.Http.Request))
        {
            body = ProtobufBodies.DecodeDeleteOptions(await ReadBytesAsync(r));
        }
        else if (r.Http.Request.ContentLength is > 0 || r.Http.Request.Headers.TransferEncoding.Count > 0)
        {
            var text = await ReadBodyAsync(r);
            if (!string.IsNullOrWhiteSpace(text))
            {
                body = JsonNode.Parse(text) as JsonObject;
            }
        }

        return DeleteOptions.From(body, r.Query);
    }
}
