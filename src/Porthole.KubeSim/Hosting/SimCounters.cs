using System.Collections.Concurrent;

namespace Porthole.KubeSim.Hosting;

/// <summary>Request, response-status, watch and churn counters, readable by tests and benchmarks.</summary>
public sealed class SimCounters
{
    private readonly ConcurrentDictionary<int, long> _statuses = new();
    private readonly ConcurrentDictionary<(string Resource, string User), long> _reviews = new();
    private long _churnWrites;
    private double _churnRate;
    private long _requests;
    private long _inFlight;
    private long _watches;

    public long Requests => Interlocked.Read(ref _requests);

    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>HTTP watch streams currently open.</summary>
    public long OpenWatches => Interlocked.Read(ref _watches);

    /// <summary>Responses sent with one HTTP status code (health checks not counted).</summary>
    public long Responses(int status) => _statuses.TryGetValue(status, out var n) ? n : 0;

    /// <summary>Response counts by HTTP status code.</summary>
    public IReadOnlyDictionary<int, long> ResponsesByStatus => new Dictionary<int, long>(_statuses);

    /// <summary>
    /// Reviews created (<paramref name="resource"/>: subjectaccessreviews,
    /// selfsubjectaccessreviews, tokenreviews...), by the user who made the request (after
    /// impersonation), or by anyone when <paramref name="user"/> is null.
    /// </summary>
    public long Reviews(string resource, string? user = null) =>
        _reviews.Where(r => r.Key.Resource == resource && (user is null || r.Key.User == user)).Sum(r => r.Value);

    /// <summary>Object updates made by the --churn loop so far.</summary>
    public long ChurnWrites => Interlocked.Read(ref _churnWrites);

    /// <summary>Churn updates per second measured over the last second.</summary>
    public double ChurnRate => Volatile.Read(ref _churnRate);

    internal void Reviewed(string resource, string user) => _reviews.AddOrUpdate((resource, user), 1, (_, n) => n + 1);

    internal void Responded(int status) => _statuses.AddOrUpdate(status, 1, (_, n) => n + 1);

    internal void Churned(long writes, double rate)
    {
        Interlocked.Add(ref _churnWrites, writes);
        Volatile.Write(ref _churnRate, rate);
    }

    internal void RequestStarted()
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _inFlight);
    }

    internal void RequestFinished() => Interlocked.Decrement(ref _inFlight);

    internal void WatchOpened() => Interlocked.Increment(ref _watches);

    internal void WatchClosed() => Interlocked.Decrement(ref _watches);
}
