using System.Text;
using System.Text.RegularExpressions;

namespace Porthole.Tests.Deploy.Helm;

/// <summary>One rendered manifest: its template's path and its YAML.</summary>
internal sealed record RenderedManifest(string Source, string Kind, string Name, string Yaml);

/// <summary>
/// What <c>helm template RELEASE CHART --namespace NS -f values...</c> prints, for the chart
/// features this renderer supports (see <see cref="TemplateFunctions"/>): Chart.yaml, values.yaml
/// deep-merged with overrides (a null override removes a key, as in Helm), every template
/// outside <c>_*</c> files rendered with <c>.Values .Release .Chart .Template</c>, empty
/// documents dropped, and the manifests in Helm's install order (kind, then file).
/// Used only by the tests: no Helm CLI can be had on these machines.
/// </summary>
internal static partial class ChartRenderer
{
    /// <summary>Helm's InstallOrder (pkg/releaseutil/kind_sorter.go), the kinds a chart like this one has.</summary>
    private static readonly string[] InstallOrder =
    [
        "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
        "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
        "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role",
        "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet",
        "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
    ];

    /// <summary>Renders the chart in <paramref name="chartDir"/>; <paramref name="overrides"/> are values YAML documents, later ones winning.</summary>
    public static ChartRender Render(string chartDir, string release, string ns, params string[] overrides)
    {
        var chart = HelmYaml.ReadMap(File.ReadAllText(Path.Combine(chartDir, "Chart.yaml")), "Chart.yaml");
        var chartName = chart.GetValueOrDefault("name") as string ?? throw new TemplateException("Chart.yaml: name is required");
        var values = HelmYaml.ReadMap(File.ReadAllText(Path.Combine(chartDir, "values.yaml")), "values.yaml");
        foreach (var (text, i) in overrides.Select((t, i) => (t, i)))
        {
            values = Merge(values, HelmYaml.ReadMap(text, $"override {i + 1}"));
        }

        var files = Directory.GetFiles(Path.Combine(chartDir, "templates"), "*", SearchOption.AllDirectories)
            .Select(f => (Path: f, Name: $"{chartName}/templates/{Path.GetRelativePath(Path.Combine(chartDir, "templates"), f).Replace('\\', '/')}"))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        var templates = new Dictionary<string, ParsedTemplate>(StringComparer.Ordinal);
        foreach (var (path, name) in files)
        {
            templates[name] = TemplateParser.Parse(name, File.ReadAllText(path), templates);
        }

        var evaluator = new TemplateEvaluator(templates);
        var manifests = new List<RenderedManifest>();
        string? notes = null;
        foreach (var (_, name) in files.Where(f => !Path.GetFileName(f.Path).StartsWith('_')))
        {
            var output = evaluator.Render(name, Root(chart, values, release, ns, name));
            if (name.EndsWith("/NOTES.txt", StringComparison.Ordinal))
            {
                notes = output.Trim();
                continue;
            }

            foreach (var document in DocumentSeparator().Split(output))
            {
                if (document.Trim().Length == 0 || document.Split('\n').All(l => l.Trim().Length == 0 || l.TrimStart().StartsWith('#')))
                {
                    continue;
                }

                var kind = KindLine().Match(document) is { Success: true } k ? k.Groups[1].Value : throw new TemplateException($"{name}: a document without kind");
                var objectName = NameLine().Match(document) is { Success: true } n ? n.Groups[1].Value : "";
                manifests.Add(new RenderedManifest(name, kind, objectName, document.Trim('\n') + "\n"));
            }
        }

        var ordered = manifests
            .Select((m, i) => (m, i))
            .OrderBy(p => Array.IndexOf(InstallOrder, p.m.Kind) is var o and >= 0 ? o : InstallOrder.Length)
            .ThenBy(p => p.i)
            .Select(p => p.m)
            .ToList();
        return new ChartRender(ordered, notes ?? "");
    }

    /// <summary>Helm's coalescing of user values over the chart's: maps merge key by key, anything else replaces, null deletes.</summary>
    public static Dictionary<string, object?> Merge(Dictionary<string, object?> defaults, Dictionary<string, object?> overrides)
    {
        var result = new Dictionary<string, object?>(defaults, StringComparer.Ordinal);
        foreach (var (key, value) in overrides)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is Dictionary<string, object?> map && result.GetValueOrDefault(key) is Dictionary<string, object?> existing)
            {
                result[key] = Merge(existing, map);
            }
            else
            {
                result[key] = value;
            }
        }

        return result;
    }

    private static Dictionary<string, object?> Root(Dictionary<string, object?> chart, Dictionary<string, object?> values, string release, string ns, string template) => new(StringComparer.Ordinal)
    {
        ["Values"] = values,
        ["Release"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Name"] = release,
            ["Namespace"] = ns,
            ["Service"] = "Helm",
            ["IsInstall"] = true,
            ["IsUpgrade"] = false,
            ["Revision"] = 1L,
        },
        ["Chart"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Name"] = chart.GetValueOrDefault("name"),
            ["Version"] = chart.GetValueOrDefault("version"),
            ["AppVersion"] = chart.GetValueOrDefault("appVersion"),
            ["Description"] = chart.GetValueOrDefault("description"),
        },
        ["Template"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Name"] = template,
            ["BasePath"] = template[..template.LastIndexOf('/')],
        },
    };

    [GeneratedRegex(@"^---[ \t]*$\n?", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();

    [GeneratedRegex(@"^kind:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex KindLine();

    [GeneratedRegex(@"^metadata:\s*\n(?:[ \t]+.*\n)*?[ \t]+name:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex NameLine();
}

/// <summary>The manifests of one render, and its NOTES.txt.</summary>
internal sealed record ChartRender(IReadOnlyList<RenderedManifest> Manifests, string Notes)
{
    /// <summary>As <c>helm template</c> prints it: each manifest after <c>---</c> and a <c># Source:</c> line.</summary>
    public string Yaml
    {
        get
        {
            var text = new StringBuilder();
            foreach (var manifest in Manifests)
            {
                text.Append("---\n# Source: ").Append(manifest.Source).Append('\n').Append(manifest.Yaml);
            }

            return text.ToString();
        }
    }

    public RenderedManifest Single(string kind) => Manifests.Single(m => m.Kind == kind);
}
