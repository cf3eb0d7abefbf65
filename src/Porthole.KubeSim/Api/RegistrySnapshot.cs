namespace Porthole.KubeSim.Api;

/// <summary>
/// A value derived from the served resources (discovery and OpenAPI documents), built on first
/// use and rebuilt lazily after the registry changes. A change during a build leaves the result
/// uncached, so a reader never keeps a stale snapshot.
/// </summary>
public sealed class RegistrySnapshot<T>
    where T : class
{
    private readonly ResourceRegistry _registry;
    private readonly Func<ResourceRegistry, T> _build;
    private readonly object _gate = new();
    private volatile T? _current;
    private int _generation;

    public RegistrySnapshot(ResourceRegistry registry, Func<ResourceRegistry, T> build)
    {
        _registry = registry;
        _build = build;
        registry.Changed += () =>
        {
            Interlocked.Increment(ref _generation);
            _current = null;
        };
    }

    public T Current
    {
        get
        {
            if (_current is { } cached)
            {
                return cached;
            }

            lock (_gate)
            {
                if (_current is { } built)
                {
                    return built;
                }

                var generation = Volatile.Read(ref _generation);
                var value = _build(_registry);
                if (generation == Volatile.Read(ref _generation))
                {
                    _current = value;
                }

                return value;
            }
        }
    }
}
