namespace Porthole.KubeSim.Api;

/// <summary>An authenticated (or impersonated) user, as the API server's user.Info.</summary>
public sealed record UserInfo(
    string Name,
    string Uid,
    IReadOnlyList<string> Groups,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Extra)
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoExtra =
        new Dictionary<string, IReadOnlyList<string>>();

    public UserInfo(string name, IReadOnlyList<string> groups)
        : this(name, "", groups, NoExtra)
    {
    }

    public bool InGroup(string group) => Groups.Contains(group);
}
