using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Kubelet;

/// <summary>
/// The scheduler's and kubelet's picture of the nodes: what can take pods, how many each runs,
/// and which pod IPs each has handed out (10.244.(i-1).x, spilling into further /24s).
/// </summary>
internal sealed class NodeView
{
    private readonly Dictionary<string, NodeState> _byName = new(StringComparer.Ordinal);
    private string _fingerprint = "";

    public IEnumerable<NodeState> Nodes => _byName.Values;

    public int Count => _byName.Count;

    public NodeState? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Reloads node facts; true when any node changed since the last call.</summary>
    public bool Refresh(IReadOnlyList<StoredObject> nodes)
    {
        var fingerprint = string.Join(',', nodes.Select(n => n.Name + "@" + n.ResourceVersion.ToString(CultureInfo.InvariantCulture)));
        if (fingerprint == _fingerprint)
        {
            return false;
        }

        _fingerprint = fingerprint;
        var present = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _byName.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _byName.Remove(gone);
        }

        // Simulated nodes keep the pod CIDR of their number; any other node takes the lowest free one.
        var taken = nodes.Select(n => SimNodes.IndexOf(n.Name) - 1).Where(i => i >= 0)
            .Concat(_byName.Values.Select(v => v.CidrIndex)).ToHashSet();
        foreach (var stored in nodes)
        {
            if (!_byName.TryGetValue(stored.Name, out var state))
            {
                var ordinal = SimNodes.IndexOf(stored.Name) - 1;
                if (ordinal < 0)
                {
                    ordinal = 0;
                    while (taken.Contains(ordinal))
                    {
                        ordinal++;
                    }
                }

                taken.Add(ordinal);
                state = new NodeState(stored.Name, ordinal);
                _byName[stored.Name] = state;
            }

            state.Load(stored.Parse());
        }

        return true;
    }

    /// <summary>Forgets every node and handed-out IP, before a fresh relist.</summary>
    public void Reset()
    {
        _byName.Clear();
        _fingerprint = "";
    }

    public void Release(string node, int host)
    {
        if (_byName.TryGetValue(node, out var state))
        {
            state.Release(host);
        }
    }
}

/// <summary>One node as the scheduler sees it.</summary>
internal sealed class NodeState
{
    private readonly HashSet<int> _used = [];
    private readonly int _ordinal;
    private int _cursor;

    public NodeState(string name, int ordinal)
    {
        Name = name;
        _ordinal = ordinal;
        CidrIndex = ordinal;
    }

    public string Name { get; }

    public int Pods => _used.Count;

    public string HostIp { get; private set; } = "";

    public bool Unschedulable { get; private set; }

    public IReadOnlyDictionary<string, string> Labels { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyList<(string Key, string Value, string Effect)> Taints { get; private set; } = [];

    /// <summary>Index used for the pod CIDR: the simulated node number, else the order seen.</summary>
    public int CidrIndex { get; private set; }

    public void Load(JsonObject node)
    {
        Labels = node.Labels();
        Unschedulable = node.Bool("spec", "unschedulable") == true;
        HostIp = node.Arr("status", "addresses")?.OfType<JsonObject>()
            .FirstOrDefault(a => a.Str("type") == "InternalIP").Str("address") ?? "";
        Taints = node.Arr("spec", "taints")?.OfType<JsonObject>()
            .Select(t => (t.Str("key") ?? "", t.Str("value") ?? "", t.Str("effect") ?? "")).ToList() ?? [];
        var simIndex = SimNodes.IndexOf(Name);
        CidrIndex = simIndex > 0 ? simIndex - 1 : _ordinal;
    }

    /// <summary>Takes the lowest free host number and returns it.</summary>
    public int Allocate()
    {
        while (_used.Contains(_cursor))
        {
            _cursor++;
        }

        _used.Add(_cursor);
        return _cursor;
    }

    /// <summary>Marks the host number of an IP handed out earlier (after a relist) as taken.</summary>
    public int Claim(string? podIp)
    {
        var host = HostOf(podIp);
        if (host < 0 || !_used.Add(host))
        {
            return Allocate();
        }

        return host;
    }

    public void Release(int host)
    {
        if (_used.Remove(host) && host < _cursor)
        {
            _cursor = host;
        }
    }

    public string PodIp(int host)
    {
        var block = host / 253;
        var third = (CidrIndex + (16 * block)) % 256;
        var fourth = (host % 253) + 2;
        return $"10.244.{third.ToString(CultureInfo.InvariantCulture)}.{fourth.ToString(CultureInfo.InvariantCulture)}";
    }

    private int HostOf(string? ip)
    {
        var parts = ip?.Split('.');
        if (parts is not { Length: 4 } || parts[0] != "10" || parts[1] != "244"
            || !int.TryParse(parts[2], CultureInfo.InvariantCulture, out var third)
            || !int.TryParse(parts[3], CultureInfo.InvariantCulture, out var fourth)
            || fourth < 2 || fourth > 254 || third < CidrIndex || (third - CidrIndex) % 16 != 0)
        {
            return -1;
        }

        return (((third - CidrIndex) / 16) * 253) + fourth - 2;
    }
}
