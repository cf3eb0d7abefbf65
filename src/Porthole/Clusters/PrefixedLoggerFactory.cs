namespace Porthole.Clusters;

/// <summary>
/// Gives the in-process demo KubeSim's loggers a "KubeSim." category prefix, so its hosting
/// chatter (its own "Now listening on") is filtered to warnings and never mistaken for Porthole's.
/// </summary>
internal sealed class PrefixedLoggerFactory(ILoggerFactory inner, string prefix) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => inner.CreateLogger(prefix + categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The host owns the inner factory.
    }
}
