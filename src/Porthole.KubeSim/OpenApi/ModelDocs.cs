using System.Xml;
using k8s.Models;

namespace Porthole.KubeSim.OpenApi;

/// <summary>
/// Descriptions of the KubernetesClient model types and properties, read from the XML
/// documentation file the package ships (copied next to the assembly at build). Missing file
/// means empty descriptions, never a failure.
/// </summary>
internal static class ModelDocs
{
    private static readonly Lazy<Dictionary<string, string>> Members = new(Load);

    public static string? Type(Type t) => Members.Value.GetValueOrDefault("T:" + t.FullName);

    public static string? Property(Type declaring, string propertyName) =>
        Members.Value.GetValueOrDefault($"P:{declaring.FullName}.{propertyName}");

    private static Dictionary<string, string> Load()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = FindFile();
        if (path is null)
        {
            return result;
        }

        using var reader = XmlReader.Create(path, new XmlReaderSettings { IgnoreComments = true, IgnoreWhitespace = true });
        while (reader.ReadToFollowing("member"))
        {
            var name = reader.GetAttribute("name");
            if (name is null || !(name.StartsWith("T:k8s.Models.", StringComparison.Ordinal) || name.StartsWith("P:k8s.Models.", StringComparison.Ordinal)))
            {
                continue;
            }

            using var member = reader.ReadSubtree();
            if (member.ReadToFollowing("summary"))
            {
                result[name] = Normalize(member.ReadElementContentAsString());
            }
        }

        return result;
    }

    private static string? FindFile()
    {
        var assemblyPath = typeof(V1Pod).Assembly.Location;
        foreach (var dir in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(assemblyPath) ?? "" })
        {
            var candidate = Path.Combine(dir, "KubernetesClient.xml");
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Normalize(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', lines);
    }
}
