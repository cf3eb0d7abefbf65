namespace Porthole.Tests.Deploy;

/// <summary>
/// deploy/manifests/porthole.yaml is the chart rendered for its default values (release and
/// namespace <c>porthole</c>) by the project's renderer (Deploy/Helm); this keeps them in sync.
/// </summary>
public sealed class ManifestsTests
{
    public const string Regenerate = "PORTHOLE_UPDATE_MANIFESTS=1 dotnet test test/Porthole.Tests -c Release --filter FullyQualifiedName~Deploy.ManifestsTests";

    public static string Header =>
        "# Porthole: deploy/helm/porthole rendered with its default values (release porthole, namespace porthole).\n" +
        "# Generated; do not edit. After changing the chart run:\n" +
        $"#   {Regenerate}\n" +
        "# Apply: kubectl create namespace porthole && kubectl apply -f deploy/manifests/porthole.yaml\n";

    [Fact]
    public void Manifests_RenderedChartWithDefaults_AreWhatIsCommitted()
    {
        var expected = Header + DeployPaths.Render().Yaml;
        if (Environment.GetEnvironmentVariable("PORTHOLE_UPDATE_MANIFESTS") == "1")
        {
            File.WriteAllText(DeployPaths.Manifests, expected);
        }

        var actual = File.Exists(DeployPaths.Manifests) ? File.ReadAllText(DeployPaths.Manifests) : "";
        if (actual != expected)
        {
            Assert.Fail($"deploy/manifests/porthole.yaml is not the chart rendered with its default values. Regenerate it:\n  {Regenerate}\n\n{Diff(expected, actual)}");
        }
    }

    /// <summary>A short line diff: the first lines that differ, with line numbers.</summary>
    internal static string Diff(string expected, string actual)
    {
        var want = expected.Split('\n');
        var have = actual.Split('\n');
        var lines = new List<string>();
        for (var i = 0; i < Math.Max(want.Length, have.Length) && lines.Count < 40; i++)
        {
            var w = i < want.Length ? want[i] : null;
            var h = i < have.Length ? have[i] : null;
            if (w != h)
            {
                lines.Add($"line {i + 1}:");
                lines.Add(h is null ? "  - (missing in the committed file)" : $"  - {h}");
                lines.Add(w is null ? "  + (not rendered)" : $"  + {w}");
            }
        }

        return "--- committed  +++ rendered\n" + string.Join('\n', lines);
    }
}
