using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Query;

/// <content>Printers for endpoints and endpoint slices.</content>
public static partial class TableConverter
{
    private const int MaxListed = 3;

    private static readonly Printer EndpointsPrinter = new(
        [
            NameColumn,
            new("Endpoints", "string", "IP addresses which offer the related ports that are marked as ready. These endpoints should be considered safe for load balancers and clients to utilize."),
            AgeColumn,
        ],
        (ep, now) =>
        {
            var listed = new List<string>();
            var total = 0;
            foreach (var subset in ep.Arr("subsets")?.OfType<JsonObject>() ?? [])
            {
                var addresses = subset.Arr("addresses")?.OfType<JsonObject>().ToList() ?? [];
                var ports = subset.Arr("ports")?.OfType<JsonObject>().ToList() ?? [];
                foreach (var address in addresses)
                {
                    foreach (var port in ports.Count == 0 ? [null] : ports.Cast<JsonObject?>())
                    {
                        total++;
                        if (listed.Count < MaxListed)
                        {
                            listed.Add(port is null ? address.Str("ip") ?? "" : Inv($"{address.Str("ip")}:{port.Long("port")}"));
                        }
                    }
                }
            }

            return new PrintedRow(Cells(ep.Name(), Listed(listed, total, "<none>"), Age(ep, now)));
        });

    private static readonly Printer EndpointSlicePrinter = new(
        [
            NameColumn,
            new("AddressType", "string", "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type."),
            new("Ports", "string", "ports specifies the list of network ports exposed by each endpoint in this slice."),
            new("Endpoints", "string", "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints."),
            AgeColumn,
        ],
        (slice, now) =>
        {
            var ports = slice.Arr("ports")?.OfType<JsonObject>().Select(p => Inv($"{p.Long("port")}")).ToList() ?? [];
            var addresses = slice.Arr("endpoints")?.OfType<JsonObject>()
                .SelectMany(e => e.Arr("addresses")?.Select(a => a?.ToString() ?? "") ?? []).ToList() ?? [];
            return new PrintedRow(Cells(
                slice.Name(),
                slice.Str("addressType") ?? "",
                Listed([.. ports.Take(MaxListed)], ports.Count, "<unset>"),
                Listed([.. addresses.Take(MaxListed)], addresses.Count, "<unset>"),
                Age(slice, now)));
        });

    /// <summary>Up to three items, then " + N more...", as kubectl's endpoint printers shorten lists.</summary>
    private static string Listed(List<string> listed, int total, string empty) =>
        listed.Count == 0 ? empty : string.Join(',', listed) + (total > listed.Count ? Inv($" + {total - listed.Count} more...") : "");
}
