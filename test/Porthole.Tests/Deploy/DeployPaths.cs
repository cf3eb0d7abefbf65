namespace Porthole.Tests.Deploy;

/// <summary>Where deploy/ is: found upwards from the test binaries (the repository root holds Porthole.slnx).</summary>
internal static class DeployPaths
{
    public const string Release = "porthole";
    public const string Namespace = "porthole";

    public static string Root { get; } = FindRoot();

    public static string Chart => Path.Combine(Root, "deploy", "helm", "porthole");

    public static string Manifests => Path.Combine(Root, "deploy", "manifests", "porthole.yaml");

    public static string Dockerfile => Path.Combine(Root, "deploy", "Dockerfile");

    /// <summary>The chart rendered as the manifests are: release porthole in namespace porthole, plus <paramref name="overrides"/>.</summary>
    public static Helm.ChartRender Render(params string[] overrides) => Helm.ChartRenderer.Render(Chart, Release, Namespace, overrides);

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Porthole.slnx")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new DirectoryNotFoundException("no Porthole.slnx above " + AppContext.BaseDirectory);
        }

        return dir;
    }
}
