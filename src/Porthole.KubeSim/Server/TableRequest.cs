using Microsoft.AspNetCore.Http;

namespace Porthole.KubeSim.Server;

/// <summary>
/// A request for server-side printing: an Accept entry `application/json;as=Table;v=v1;g=meta.k8s.io`
/// (or v1beta1), as kubectl get sends, with includeObject=None|Metadata|Object.
/// </summary>
internal sealed record TableRequest(string ApiVersion, string IncludeObject)
{
    /// <summary>Set once a watch has sent the column definitions.</summary>
    public bool HeadersSent { get; set; }

    public static TableRequest? From(HttpRequest request)
    {
        foreach (var entry in request.Headers.Accept.ToString().Split(','))
        {
            var parts = entry.Split(';', StringSplitOptions.TrimEntries);
            string? asValue = null, version = null, group = null;
            foreach (var p in parts.Skip(1))
            {
                var kv = p.Split('=', 2);
                if (kv.Length != 2)
                {
                    continue;
                }

                switch (kv[0])
                {
                    case "as": asValue = kv[1]; break;
                    case "v": version = kv[1]; break;
                    case "g": group = kv[1]; break;
                }
            }

            if (asValue is null)
            {
                // A plain media type before any Table entry: the client prefers plain objects.
                if (parts[0] is "application/json" or "*/*" or "application/yaml" or Protobuf.KubeProtobuf.MediaType)
                {
                    return null;
                }

                continue;
            }

            if (asValue == "Table" && group == "meta.k8s.io" && version is "v1" or "v1beta1")
            {
                var include = request.Query["includeObject"].FirstOrDefault();
                return new TableRequest($"meta.k8s.io/{version}", include is "None" or "Object" or "Metadata" ? include : "Metadata");
            }
        }

        return null;
    }
}
