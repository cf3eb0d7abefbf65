using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers;

/// <summary>
/// A level-triggered control loop over a few resources, in the style of the kube-controller-manager:
/// list, then watch the store; events mark keys dirty, dirty keys are synced in batches, and the loop
/// also wakes at the earliest time a sync asked for (deadlines, schedules). A 410 relists.
/// </summary>
internal abstract partial class ControllerLoop : IAsyncDisposable
{
    private readonly HashSet<string> _watched;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    protected ControllerLoop(ObjectStore store, TimeProvider time, ILogger logger, params ResourceType[] watched)
    {
        Store = store;
        Time = time;
        _logger = logger;
        _watched = [.. watched.Select(t => t.StorageKey)];
    }

    protected ObjectStore Store { get; }

    protected TimeProvider Time { get; }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    /// <summary>Notes a change of a watched resource (mark what it affects dirty).</summary>
    protected abstract void Observe(WatchEvent e);

    /// <summary>After a (re)list: mark everything dirty.</summary>
    protected abstract void Resync();

    /// <summary>Syncs what is dirty or due; returns when to wake next without an event, or null.</summary>
    protected abstract DateTimeOffset? Sync(DateTimeOffset now);

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using var watch = Store.Watch(null, Store.ResourceVersion, capacity: 0);
                Resync();
                await Loop(watch, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (ApiException e) when (e.Code == 410)
            {
                // history moved past us: list again
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // an object the simulation cannot handle must not stop the controller: note it, back off, relist
                LogFailed(_logger, GetType().Name, e);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), Time, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task Loop(StoreWatch watch, CancellationToken ct)
    {
        var reader = watch.Events;
        while (true)
        {
            while (reader.TryRead(out var e))
            {
                if (_watched.Contains(e.StorageKey))
                {
                    Observe(e);
                }
            }

            var now = Time.GetUtcNow();
            var next = Sync(now);
            if (reader.Completion.IsCompleted)
            {
                return;
            }

            if (reader.TryPeek(out _))
            {
                continue;
            }

            using var either = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var read = reader.WaitToReadAsync(either.Token).AsTask();
            if (next is { } at)
            {
                var delay = at - Time.GetUtcNow();
                await Task.WhenAny(read, Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Time, either.Token));
            }
            else
            {
                await Task.WhenAny(read);
            }

            await either.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "{Controller} failed; relisting")]
    private static partial void LogFailed(ILogger logger, string controller, Exception ex);
}
