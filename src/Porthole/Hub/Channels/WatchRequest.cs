using System.Text.RegularExpressions;

namespace Porthole.Hub.Channels;

/// <summary>The payload of <c>subscribe</c> on a <c>watch:</c> channel.</summary>
internal sealed partial record WatchRequest(string Cluster, string? Group, string Version, string Resource, string? Namespace, string? LabelSelector, string? FieldSelector)
{
    private const int MaxSelector = 4096;

    /// <summary>Refuses what cannot be a Kubernetes path segment or selector before anything is sent upstream.</summary>
    public void Validate()
    {
        Require(Cluster, "cluster", ClusterName());
        if (!string.IsNullOrEmpty(Group))
        {
            Require(Group, "group", DnsName());
        }

        Require(Version, "version", Segment());
        Require(Resource, "resource", Segment());
        ObjectName(Namespace, "namespace");

        Selector(LabelSelector, "labelSelector");
        Selector(FieldSelector, "fieldSelector");
    }

    /// <summary>
    /// Refuses a given object name (pod, container, owner) that is not a DNS subdomain; an empty
    /// one is left to the caller (some fields are optional).
    /// </summary>
    public static void ObjectName(string? value, string field)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Require(value, field, DnsName());
        }
    }

    private static void Require(string? value, string field, Regex pattern)
    {
        if (string.IsNullOrEmpty(value) || !pattern.IsMatch(value))
        {
            throw new HubProtocolException(HubErrors.BadPayload, $"\"{field}\" is missing or not a valid name");
        }
    }

    private static void Selector(string? value, string field)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > MaxSelector || value.Any(char.IsControl))
        {
            throw new HubProtocolException(HubErrors.BadSelector, $"\"{field}\" is too long or holds control characters");
        }

        var open = 0;
        foreach (var c in value)
        {
            open += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (open < 0)
            {
                break;
            }
        }

        if (open != 0)
        {
            throw new HubProtocolException(HubErrors.BadSelector, $"\"{field}\" has unbalanced parentheses");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._@:-]{1,253}$", RegexOptions.CultureInvariant)]
    private static partial Regex ClusterName();

    [GeneratedRegex("^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsName();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Segment();
}
