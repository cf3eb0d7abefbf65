namespace Porthole.KubeSim.Security;

/// <summary>Service account user names and groups, as the API server derives them.</summary>
public static class ServiceAccounts
{
    public const string Prefix = "system:serviceaccount:";

    public static string UserName(string ns, string name) => $"{Prefix}{ns}:{name}";

    /// <summary>Splits "system:serviceaccount:ns:name"; false for any other user name.</summary>
    public static bool TrySplit(string userName, out string ns, out string name)
    {
        ns = name = "";
        if (!userName.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = userName[Prefix.Length..].Split(':');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return false;
        }

        (ns, name) = (parts[0], parts[1]);
        return true;
    }

    public static IReadOnlyList<string> Groups(string ns) => ["system:serviceaccounts", $"system:serviceaccounts:{ns}"];
}
