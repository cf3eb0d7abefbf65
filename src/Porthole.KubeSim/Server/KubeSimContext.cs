using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Auth;
using Porthole.KubeSim.Controllers;
using Porthole.KubeSim.Hosting;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Server;

/// <summary>Everything one simulator instance is made of, shared by its request handlers.</summary>
internal sealed partial class KubeSimContext
{
    private int _nextServiceIp = 10;
    private int _nextNodePort = 30000;

    public required KubeSimOptions Options { get; init; }

    public required ObjectStore Store { get; init; }

    public required ResourceRegistry Registry { get; init; }

    public required TokenAuthenticator Authenticator { get; init; }

    /// <summary>The service account token signer; disposed with the server.</summary>
    public required ServiceAccountTokens ServiceAccountTokens { get; init; }

    public required ControllerHost Controllers { get; init; }

    public SimCounters Counters { get; } = new();

    public required Faults.SimFaults Faults { get; init; }

    public TimeProvider Time => Options.Time;

    public JsonObject? CrdFor(ResourceType type) => Controllers.Crds.CrdFor(type);

    /// <summary>The next free ClusterIP in 10.96.0.0/16.</summary>
    public string AllocateServiceIp()
    {
        var n = Interlocked.Increment(ref _nextServiceIp);
        return new IPAddress([10, 96, (byte)(n / 254 % 256), (byte)((n % 254) + 1)]).ToString();
    }

    public int AllocateNodePort() => Interlocked.Increment(ref _nextNodePort) is var p && p <= 32767 ? p : throw ApiException.Invalid(
        new ResourceType("", "v1", "services", "Service", true, [], [], [], []), "", ("spec.ports[0].nodePort", "FieldValueInvalid", "Invalid value: 0: range is full"));
}
