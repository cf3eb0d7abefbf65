using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Controllers.Batch;

namespace Porthole.KubeSim.Controllers.Endpoints;

internal sealed partial class EndpointsController
{
    /// <summary>The Endpoints object: addresses grouped into subsets by their ports, terminating pods left out.</summary>
    private void WriteEndpoints(JsonObject svc, List<Target> targets, string at)
    {
        var subsets = new JsonArray();
        foreach (var group in targets.Where(t => !t.Terminating && t.Ports.Count > 0).GroupBy(t => t.PortsKey))
        {
            var subset = new JsonObject();
            var ready = group.Where(t => t.Ready).OrderBy(t => t.Ip, StringComparer.Ordinal).Select(Address).ToList();
            var notReady = group.Where(t => !t.Ready).OrderBy(t => t.Ip, StringComparer.Ordinal).Select(Address).ToList();
            if (ready.Count > 0)
            {
                subset["addresses"] = new JsonArray([.. ready]);
            }

            if (notReady.Count > 0)
            {
                subset["notReadyAddresses"] = new JsonArray([.. notReady]);
            }

            subset["ports"] = group.First().Ports.DeepClone();
            subsets.Add(subset);
        }

        var labels = Labels(svc);
        labels["endpointslice.kubernetes.io/skip-mirror"] = "true";
        var ns = svc.Namespace();
        var name = svc.Name();
        var existing = Store.Get(_endpoints, ns, name)?.Parse();
        if (existing is null)
        {
            var created = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Endpoints",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["namespace"] = ns,
                    ["labels"] = labels,
                    ["annotations"] = new JsonObject { [TriggerTime] = at },
                },
            };
            if (subsets.Count > 0)
            {
                created["subsets"] = subsets;
            }

            _objects.Create(_endpoints, created);
            return;
        }

        var wantedSubsets = subsets.Count > 0 ? subsets.ToJsonString() : null;
        var wantedLabels = labels.ToJsonString();
        Store.Mutate(_endpoints, ns, name, ep =>
        {
            if (ep["subsets"]?.ToJsonString() == wantedSubsets && ep.Obj("metadata", "labels")?.ToJsonString() == wantedLabels)
            {
                return false;
            }

            if (wantedSubsets is null)
            {
                ep.Remove("subsets");
            }
            else
            {
                ep["subsets"] = JsonNode.Parse(wantedSubsets);
            }

            ep.Metadata()["labels"] = JsonNode.Parse(wantedLabels);
            var annotations = ep.Obj("metadata", "annotations") ?? [];
            annotations[TriggerTime] = at;
            ep.Metadata()["annotations"] = annotations;
            return true;
        });
    }

    /// <summary>EndpointSlices: one per distinct port set (one placeholder when nothing matches), owned by the Service.</summary>
    private void WriteSlices(JsonObject svc, List<Target> targets, string at)
    {
        var ns = svc.Namespace();
        var name = svc.Name();
        var existing = Store.All(_slices, ns)
            .Where(s => s.Labels.GetValueOrDefault(ServiceNameLabel) == name && s.Labels.GetValueOrDefault(ManagedByLabel) == ManagedBy)
            .Select(s => s.Parse())
            .ToList();
        var groups = targets.GroupBy(t => t.PortsKey).ToList();
        var wanted = groups.Count == 0
            ? [(Ports: (JsonNode?)null, Endpoints: new JsonArray())]
            : groups.Select(g => (Ports: (JsonNode?)g.First().Ports.DeepClone(), Endpoints: new JsonArray([.. g.Select(SliceEndpoint)]))).ToList();
        var labels = Labels(svc);
        labels[ServiceNameLabel] = name;
        labels[ManagedByLabel] = ManagedBy;
        for (var i = 0; i < wanted.Count; i++)
        {
            var (ports, endpoints) = wanted[i];
            if (i < existing.Count)
            {
                UpdateSlice(existing[i], labels, ports, endpoints, at);
                continue;
            }

            _objects.Create(_slices, new JsonObject
            {
                ["apiVersion"] = "discovery.k8s.io/v1",
                ["kind"] = "EndpointSlice",
                ["metadata"] = new JsonObject
                {
                    ["generateName"] = name + "-",
                    ["namespace"] = ns,
                    ["labels"] = labels.DeepClone(),
                    ["annotations"] = new JsonObject { [TriggerTime] = at },
                    ["ownerReferences"] = new JsonArray(ControllerObjects.OwnerReference(svc, "v1", "Service")),
                },
                ["addressType"] = "IPv4",
                ["endpoints"] = endpoints,
                ["ports"] = ports,
            });
        }

        foreach (var extra in existing.Skip(wanted.Count))
        {
            Store.Remove(_slices, ns, extra.Name(), extra.Uid());
        }
    }

    private void UpdateSlice(JsonObject slice, JsonObject labels, JsonNode? ports, JsonArray endpoints, string at)
    {
        var wantedEndpoints = endpoints.ToJsonString();
        var wantedPorts = ports?.ToJsonString();
        var wantedLabels = labels.ToJsonString();
        var uid = slice.Uid();
        Store.Mutate(_slices, slice.Namespace(), slice.Name(), s =>
        {
            if (s.Uid() != uid || (s["endpoints"]?.ToJsonString() == wantedEndpoints && s["ports"]?.ToJsonString() == wantedPorts
                && s.Obj("metadata", "labels")?.ToJsonString() == wantedLabels))
            {
                return false;
            }

            s["endpoints"] = JsonNode.Parse(wantedEndpoints);
            s["ports"] = wantedPorts is null ? null : JsonNode.Parse(wantedPorts);
            s.Metadata()["labels"] = JsonNode.Parse(wantedLabels);
            var annotations = s.Obj("metadata", "annotations") ?? [];
            annotations[TriggerTime] = at;
            s.Metadata()["annotations"] = annotations;
            return true;
        });
    }

    private static JsonObject Labels(JsonObject svc)
    {
        var labels = svc.Obj("metadata", "labels")?.DeepClone().AsObject() ?? [];
        if (svc.Str("spec", "clusterIP") == "None")
        {
            labels["service.kubernetes.io/headless"] = "";
        }

        return labels;
    }

    private static JsonNode Address(Target t)
    {
        var address = new JsonObject { ["ip"] = t.Ip };
        if (t.Pod.Str("spec", "nodeName") is { Length: > 0 } node)
        {
            address["nodeName"] = node;
        }

        address["targetRef"] = TargetRef(t.Pod);
        return address;
    }

    private static JsonNode SliceEndpoint(Target t)
    {
        var endpoint = new JsonObject
        {
            ["addresses"] = new JsonArray(t.Ip),
            ["conditions"] = new JsonObject
            {
                ["ready"] = t.Ready && !t.Terminating,
                ["serving"] = t.Ready,
                ["terminating"] = t.Terminating,
            },
        };
        if (t.Pod.Str("spec", "nodeName") is { Length: > 0 } node)
        {
            endpoint["nodeName"] = node;
        }

        endpoint["targetRef"] = TargetRef(t.Pod);
        return endpoint;
    }
}
