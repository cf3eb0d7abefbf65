using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Kubelet;

/// <summary>The kubelet's view of one container whose fate is not to run forever: its current and previous instance.</summary>
internal sealed class ContainerRun(string name, string image, ContainerFate fate)
{
    public string Name { get; } = name;

    public string Image { get; } = image;

    public ContainerFate Fate { get; } = fate;

    /// <summary>Exited instances (restartCount) or failed pulls, whichever this container counts.</summary>
    public int Restarts { get; set; }

    public int PullFailures { get; set; }

    public bool EverStarted { get; set; }

    public bool Running { get; set; }

    /// <summary>Terminated for good: it will not be restarted.</summary>
    public bool Done { get; set; }

    public int ExitCode { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>state: one of running, waiting, terminated.</summary>
    public JsonObject State { get; set; } = new() { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } };

    /// <summary>lastState: the previous instance's termination, or empty.</summary>
    public JsonObject Last { get; set; } = [];
}
