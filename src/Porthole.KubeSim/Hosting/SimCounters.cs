namespace Porthole.KubeSim.Hosting;

/// <summary>Request and watch counters, readable by tests and benchmarks.</summary>
public sealed class SimCounters
{
    private long _requests;
    private long _inFlight;
    private long _watches;

    public long Requests => Interlocked.Read(ref _requests);

    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>HTTP watch streams currently open.</summary>
    public long OpenWatches => Interlocked.Read(ref _watches);

    internal void RequestStarted()
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _inFlight);
    }

    internal void RequestFinished() => Interlocked.Decrement(ref _inFlight);

    internal void WatchOpened() => Interlocked.Increment(ref _watches);

    internal void WatchClosed() => Interlocked.Decrement(ref _watches);
}
