using Polly;
using Polly.CircuitBreaker;
using Porthole.Hosting;

namespace Porthole.Clusters;

/// <summary>
/// The per-cluster circuit breaker (Polly): within <see cref="Window"/>, once at least
/// <see cref="MinimumCalls"/> calls were made and half or more failed, the circuit opens for
/// <see cref="Cooldown"/>; then one probe call goes through (half-open): success closes the
/// circuit, failure opens it again.
/// </summary>
internal sealed record ClusterBreakerOptions(int MinimumCalls, TimeSpan Window, TimeSpan Cooldown)
{
    public static ClusterBreakerOptions From(PortholeOptions options) => new(options.BreakerFailures, options.BreakerWindow, options.BreakerCooldown);

    public CircuitBreakerStrategyOptions<HttpResponseMessage> ToStrategy(CircuitBreakerStateProvider state, string cluster, ILogger logger) => new()
    {
        FailureRatio = 0.5,
        MinimumThroughput = MinimumCalls,
        SamplingDuration = Window,
        BreakDuration = Cooldown,
        StateProvider = state,
        ShouldHandle = args => ValueTask.FromResult(Cluster.IsFailure(args.Outcome)),
        OnOpened = args =>
        {
            ClusterLog.CircuitOpened(logger, cluster, args.BreakDuration.TotalSeconds);
            return ValueTask.CompletedTask;
        },
        OnHalfOpened = _ =>
        {
            ClusterLog.CircuitHalfOpened(logger, cluster);
            return ValueTask.CompletedTask;
        },
        OnClosed = _ =>
        {
            ClusterLog.CircuitClosed(logger, cluster);
            return ValueTask.CompletedTask;
        },
    };
}
