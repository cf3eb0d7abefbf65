using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Kubelet;

/// <summary>
/// The simulated scheduler and kubelets of every node: lists then watches pods, binds unscheduled
/// pods to the least-loaded fitting node, runs them (Pending, then Running after a short start
/// delay) and finishes graceful deletions. One loop owns all state and batches work, so a burst of
/// thousands of pods costs a few store writes each and no per-pod timers.
/// </summary>
public sealed partial class SimKubelet : IHostedService, IAsyncDisposable
{
    private const int BatchSize = 2048;

    private readonly ObjectStore _store;
    private readonly TimeProvider _time;
    private readonly KubeletOptions _options;
    private readonly ResourceType _pods;
    private readonly ResourceType _nodes;
    private readonly EventRecorder _events;
    private readonly Dictionary<string, Tracked> _tracked = new(StringComparer.Ordinal);
    private readonly PriorityQueue<Due, long> _due = new();
    private readonly Dictionary<string, string> _unschedulable = new(StringComparer.Ordinal);
    private readonly NodeView _nodeView = new();
    private readonly Channel<ExitReport> _exits = Channel.CreateUnbounded<ExitReport>(new UnboundedChannelOptions { SingleReader = true });
    private CancellationTokenSource? _stopping;
    private Task? _running;
    private DateTimeOffset _nextRetry;

    public SimKubelet(ObjectStore store, ResourceRegistry registry, TimeProvider time, KubeletOptions options)
    {
        _store = store;
        _time = time;
        _options = options;
        _pods = registry.Find("", "v1", "pods") ?? throw new InvalidOperationException("pods are not registered");
        _nodes = registry.Find("", "v1", "nodes") ?? throw new InvalidOperationException("nodes are not registered");
        var events = registry.Find("", "v1", "events") ?? throw new InvalidOperationException("events are not registered");
        _events = new EventRecorder(store, events, options.RecordEvents);
    }

    /// <summary>The last unexpected failure the loop recovered from by relisting, for diagnostics.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Starts the loop in the background.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = _stopping.Token;
        _running = Task.Run(() => Run(token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops the loop and waits for it to finish.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null || _running is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping?.Dispose();
    }

    /// <summary>Runs the loop until cancelled: list, watch, relist when the watch expires.</summary>
    public async Task Run(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var watch = Relist();
                await WatchLoop(watch, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ApiException e) when (e.Code == 410)
            {
                // the history moved past us: list again
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // a pod the simulation cannot handle must not stop every node: note it and relist
                LastError = e;
                _tracked.Clear();
                _due.Clear();
                _unschedulable.Clear();
                _nodeView.Reset();
                if (!await BackOff(cancellationToken))
                {
                    return;
                }
            }
        }
    }

    private async Task<bool> BackOff(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_options.RetryUnschedulable, _time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private StoreWatch Relist()
    {
        RefreshNodes();
        var page = _store.List(_pods, null);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unbound = new List<StoredObject>();
        foreach (var stored in page.Items)
        {
            seen.Add(stored.Namespace + "/" + stored.Name);
            if (!_tracked.ContainsKey(stored.Namespace + "/" + stored.Name) && stored.Parse().Str("spec", "nodeName") is null)
            {
                unbound.Add(stored);
                continue;
            }

            OnPod(stored);
        }

        // bound pods first, so the pod IPs they hold are claimed before new ones are handed out
        foreach (var stored in unbound)
        {
            OnPod(stored);
        }

        foreach (var key in _tracked.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            Forget(key);
        }

        return _store.Watch(_pods, page.ResourceVersion, capacity: 0);
    }

    private async Task WatchLoop(StoreWatch watch, CancellationToken cancellationToken)
    {
        var reader = watch.Events;
        while (true)
        {
            var nodesChanged = false;
            var handled = 0;
            while (handled < BatchSize && reader.TryRead(out var e))
            {
                handled++;

                // a pod written after a cordon or relabel is scheduled against the new node state
                nodesChanged |= RefreshNodes();
                if (e.Type == WatchEvent.Deleted)
                {
                    OnDeleted(e.Object);
                }
                else
                {
                    OnPod(e.Object);
                }
            }

            var now = _time.GetUtcNow();
            nodesChanged |= RefreshNodes();
            if (nodesChanged)
            {
                AdoptOrphans();
            }

            if (nodesChanged || (_unschedulable.Count > 0 && now >= _nextRetry))
            {
                RetryUnschedulable(now);
            }

            RunDue(now);
            while (_exits.Reader.TryRead(out var exit))
            {
                ExitInteractive(exit, now);
            }

            if (handled == BatchSize)
            {
                continue;
            }

            if (reader.Completion.IsCompleted)
            {
                return;
            }

            await WaitAsync(reader, NextWake(now), cancellationToken);
        }
    }

    private TimeSpan? NextWake(DateTimeOffset now)
    {
        TimeSpan? wait = _options.NodeResync > TimeSpan.Zero ? _options.NodeResync : null;
        if (_due.TryPeek(out _, out var ticks))
        {
            var due = TimeSpan.FromTicks(Math.Max(0, ticks - now.UtcTicks));
            wait = wait is null || due < wait ? due : wait;
        }

        if (_unschedulable.Count > 0)
        {
            var retry = _nextRetry > now ? _nextRetry - now : TimeSpan.Zero;
            wait = wait is null || retry < wait ? retry : wait;
        }

        return wait;
    }

    private async Task WaitAsync(ChannelReader<WatchEvent> reader, TimeSpan? wait, CancellationToken cancellationToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = wait is null ? Task.Delay(Timeout.Infinite, either.Token) : Task.Delay(wait.Value, _time, either.Token);
        var read = reader.WaitToReadAsync(either.Token).AsTask();
        var exited = _exits.Reader.WaitToReadAsync(either.Token).AsTask();
        await Task.WhenAny(delay, read, exited);
        await either.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void OnPod(StoredObject stored)
    {
        var key = stored.Namespace + "/" + stored.Name;
        if (_tracked.TryGetValue(key, out var known))
        {
            if (known.Uid != stored.Uid)
            {
                Forget(key);
            }
            else if (known.WrittenRv == stored.ResourceVersion)
            {
                return;
            }
        }

        var pod = stored.Parse();
        var nodeName = pod.Str("spec", "nodeName") ?? "";
        if (pod.Str("metadata", "deletionTimestamp") is not null)
        {
            BeginTermination(key, pod);
        }
        else if (nodeName.Length == 0)
        {
            if (!_unschedulable.ContainsKey(key) && (pod.Str("spec", "schedulerName") ?? EventRecorder.Scheduler) == EventRecorder.Scheduler)
            {
                TrySchedule(key, pod, _time.GetUtcNow(), announceFailure: true);
            }
        }
        else if (!_tracked.ContainsKey(key))
        {
            Adopt(key, pod, nodeName);
        }
    }

    /// <summary>Takes over pods bound to a node that only now appeared.</summary>
    private void AdoptOrphans()
    {
        foreach (var stored in _store.All(_pods))
        {
            var key = stored.Namespace + "/" + stored.Name;
            if (_tracked.ContainsKey(key) || _unschedulable.ContainsKey(key))
            {
                continue;
            }

            var pod = stored.Parse();
            if (pod.Str("spec", "nodeName") is { Length: > 0 } nodeName && pod.Str("metadata", "deletionTimestamp") is null)
            {
                Adopt(key, pod, nodeName);
            }
        }
    }

    private void OnDeleted(StoredObject stored)
    {
        var key = stored.Namespace + "/" + stored.Name;
        if (_tracked.TryGetValue(key, out var known) && known.Uid == stored.Uid)
        {
            Forget(key);
        }

        _unschedulable.Remove(key);
    }

    private void Forget(string key)
    {
        if (_tracked.Remove(key, out var gone) && gone.Node.Length > 0)
        {
            _nodeView.Release(gone.Node, gone.HostNumber);
        }

        _unschedulable.Remove(key);
    }

    private bool RefreshNodes() => _nodeView.Refresh(_store.All(_nodes));

    private void Enqueue(DueKind kind, string key, string uid, DateTimeOffset at, string container = "") =>
        _due.Enqueue(new Due(kind, key, uid, container), at.UtcTicks);

    private void RunDue(DateTimeOffset now)
    {
        while (_due.TryPeek(out var due, out var ticks) && ticks <= now.UtcTicks)
        {
            _due.Dequeue();
            if (!_tracked.TryGetValue(due.Key, out var t) || t.Uid != due.Uid)
            {
                continue;
            }

            if (due.Kind == DueKind.Start)
            {
                StartContainers(due.Key, t, now);
            }
            else if (due.Kind != DueKind.Remove)
            {
                StepContainer(due, t, now);
            }
            else
            {
                var (ns, name) = Split(due.Key);
                _store.Remove(_pods, ns, name, t.Uid);
            }
        }
    }

    /// <summary>Mutates a pod unless it is gone; returns the new resourceVersion, or null.</summary>
    private long? TryMutate(string key, string uid, Func<JsonObject, bool> change)
    {
        var (ns, name) = Split(key);
        try
        {
            var stored = _store.Mutate(_pods, ns, name, pod => pod.Uid() == uid && change(pod));
            return stored.Uid == uid ? stored.ResourceVersion : null;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    private static (string Ns, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }

    private enum Stage
    {
        Starting,
        Running,
        Terminating,
    }

    private enum DueKind
    {
        Start,
        Remove,
        Exit,
        Restart,
        PullBackOff,
        PullRetry,
    }

    private sealed record Due(DueKind Kind, string Key, string Uid, string Container);

    private sealed class Tracked(string uid, string node, int hostNumber)
    {
        public string Uid { get; } = uid;

        public string Node { get; } = node;

        public int HostNumber { get; } = hostNumber;

        public Stage Stage { get; set; }

        public long WrittenRv { get; set; }

        /// <summary>The containers' own lives when any of them crashes, fails to pull or finishes; null otherwise.</summary>
        public List<ContainerRun>? Runs { get; set; }

        public string RestartPolicy { get; set; } = "Always";
    }
}
