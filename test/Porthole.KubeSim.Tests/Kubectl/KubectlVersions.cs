namespace Porthole.KubeSim.Tests.Kubectl;

// One test class per installed kubectl, each by its own binary (kubectl.1.NN beside the
// dispatcher `kubectl`, which is never used: it picks the client matching the server).
// Each class is an xunit collection of its own, so the versions run in parallel against the
// one shared simulator (KubectlCluster).

/// <summary>kubectl 1.27: the smoke set (SPDY exec, OpenAPI v2 protobuf for apply).</summary>
public sealed class Kubectl127Tests(KubectlCluster cluster) : KubectlSmokeTests(cluster, "1.27");

/// <summary>kubectl 1.28: the smoke set (SPDY exec, OpenAPI v2 protobuf for apply).</summary>
public sealed class Kubectl128Tests(KubectlCluster cluster) : KubectlSmokeTests(cluster, "1.28");

/// <summary>kubectl 1.29: the smoke set (SPDY exec).</summary>
public sealed class Kubectl129Tests(KubectlCluster cluster) : KubectlSmokeTests(cluster, "1.29");

/// <summary>kubectl 1.30: the full scenario (WebSocket exec, JSON requests).</summary>
public sealed class Kubectl130Tests(KubectlCluster cluster) : KubectlScenarioTests(cluster, "1.30");

/// <summary>kubectl 1.31: the full scenario, the version KubeSim reports.</summary>
public sealed class Kubectl131Tests(KubectlCluster cluster) : KubectlScenarioTests(cluster, "1.31");

/// <summary>kubectl 1.32: the full scenario; typed requests go out as protobuf.</summary>
public sealed class Kubectl132Tests(KubectlCluster cluster) : KubectlScenarioTests(cluster, "1.32");

/// <summary>kubectl 1.33: the full scenario; typed requests go out as protobuf.</summary>
public sealed class Kubectl133Tests(KubectlCluster cluster) : KubectlScenarioTests(cluster, "1.33");
