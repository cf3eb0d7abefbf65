using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Security;

/// <summary>The simulator's built-in users, their groups and the namespaces they work in.</summary>
public static class SimUsers
{
    public const string Admin = "sim-admin";
    public const string Viewer = "sim-viewer";
    public const string Dev = "sim-dev";
    public const string Porthole = "sim-porthole";

    public const string Authenticated = "system:authenticated";
    public const string Unauthenticated = "system:unauthenticated";
    public const string Anonymous = "system:anonymous";

    /// <summary>The only namespace where sim-dev may edit.</summary>
    public const string TeamNamespace = "team-a";

    public static readonly IReadOnlyList<string> Names = [Admin, Viewer, Dev, Porthole];

    /// <summary>Namespaces a fresh simulator has.</summary>
    public static readonly IReadOnlyList<string> Namespaces = ["default", "kube-system", "kube-public", "kube-node-lease", TeamNamespace];

    /// <summary>The groups the authenticator gives a sim user: sim-admin is a cluster admin through system:masters.</summary>
    public static IReadOnlyList<string> GroupsOf(string name) =>
        name == Admin ? [RbacAuthorizer.MastersGroup, Authenticated] : [Authenticated];

    /// <summary>The user info of one of the sim users.</summary>
    public static UserInfo User(string name) => new(name, GroupsOf(name));
}
