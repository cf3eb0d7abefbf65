namespace Porthole.KubeSim.Kubelet;

/// <summary>Tunables of the simulated kubelet and scheduler.</summary>
public sealed class KubeletOptions
{
    /// <summary>Shortest simulated container start (pull, create, start) after scheduling.</summary>
    public TimeSpan StartDelayMin { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest simulated container start; each pod gets a stable value in between.</summary>
    public TimeSpan StartDelayMax { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Cap on the simulated termination grace period, so deletes return promptly.</summary>
    public TimeSpan MaxGracePeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Records core/v1 Events (Scheduled, Pulling, Pulled, Created, Started, Killing).</summary>
    public bool RecordEvents { get; set; } = true;

    /// <summary>How often an idle loop looks at the nodes again (new, cordoned, relabelled); zero: only on pod events.</summary>
    public TimeSpan NodeResync { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often pods that did not fit are tried again.</summary>
    public TimeSpan RetryUnschedulable { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a container whose image names <c>crash</c> runs before it exits with code 1.</summary>
    public TimeSpan CrashAfter { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>First back-off before restarting a crashed container or pulling a failed image again; doubles each time.</summary>
    public TimeSpan BackOffBase { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Cap on the restart and image pull back-off.</summary>
    public TimeSpan BackOffMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest a recognised finite command (sleep N) runs before it completes.</summary>
    public TimeSpan MaxFiniteRun { get; set; } = TimeSpan.FromMinutes(5);
}
