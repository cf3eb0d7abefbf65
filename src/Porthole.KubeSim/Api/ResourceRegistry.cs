using System.Collections.Immutable;

namespace Porthole.KubeSim.Api;

/// <summary>
/// Every resource currently served: the built-in kinds plus those of established
/// CustomResourceDefinitions. Readers take an immutable snapshot, so discovery and routing
/// never lock; CRD changes swap the snapshot.
/// </summary>
public sealed class ResourceRegistry
{
    private readonly object _gate = new();
    private ImmutableList<ResourceType> _all;

    public ResourceRegistry()
        : this(BuiltInResources.Create())
    {
    }

    public ResourceRegistry(IEnumerable<ResourceType> builtIns)
    {
        _all = [.. builtIns];
    }

    /// <summary>Raised after the set of served resources changed (a CRD was added or removed).</summary>
    public event Action? Changed;

    public IReadOnlyList<ResourceType> All => _all;

    public ResourceType? Find(string group, string version, string plural)
    {
        foreach (var r in _all)
        {
            if (r.Plural == plural && r.Version == version && r.Group == group)
            {
                return r;
            }
        }

        return null;
    }

    /// <summary>Finds the preferred (first served) version of a group-resource.</summary>
    public ResourceType? FindPreferred(string group, string plural) =>
        _all.FirstOrDefault(r => r.Group == group && r.Plural == plural);

    public ResourceType? FindByKind(string apiVersion, string kind) =>
        _all.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind);

    /// <summary>Groups in discovery order (core group first as ""), each with its served versions, preferred first.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        var result = new List<(string, IReadOnlyList<string>)>();
        foreach (var group in _all.Select(r => r.Group).Distinct())
        {
            result.Add((group, _all.Where(r => r.Group == group).Select(r => r.Version).Distinct().ToList()));
        }

        return result;
    }

    public IReadOnlyList<ResourceType> InGroupVersion(string group, string version) =>
        _all.Where(r => r.Group == group && r.Version == version).ToList();

    /// <summary>Replaces the resources served for one CRD (identified by group and plural).</summary>
    public void SetCustom(string group, string plural, IReadOnlyList<ResourceType> versions)
    {
        lock (_gate)
        {
            _all = _all.RemoveAll(r => r.IsCustom && r.Group == group && r.Plural == plural)
                .AddRange(versions.Select(v => v with { IsCustom = true }));
        }

        Changed?.Invoke();
    }

    public void RemoveCustom(string group, string plural)
    {
        lock (_gate)
        {
            _all = _all.RemoveAll(r => r.IsCustom && r.Group == group && r.Plural == plural);
        }

        Changed?.Invoke();
    }
}
