using Porthole.Tests.Deploy.Helm;

namespace Porthole.Tests.Deploy;

/// <summary>
/// deploy/Dockerfile without a Docker engine: its stages, user, port, volume and entrypoint
/// checked against the chart; then its stages carried out for real (web build, dotnet publish)
/// into a temporary directory, and the published binary started in demo mode until /readyz.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly IReadOnlyList<DockerStage> Stages = Dockerfile.Parse(File.ReadAllText(DeployPaths.Dockerfile));

    private static DockerIgnore Ignore => DockerIgnore.Parse(File.ReadAllText(DeployPaths.Dockerfile + ".dockerignore"));

    private static DockerStage Runtime => Stages[^1];

    private static Dictionary<string, object?> Container() =>
        (Dictionary<string, object?>)((List<object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)HelmYaml.ReadMap(DeployPaths.Render().Single("Deployment").Yaml, "d")["spec"]!)["template"]!)["spec"]!)["containers"]!)[0]!;

    private static string Env(DockerStage stage, string name) =>
        stage.All("ENV").Select(e => System.Text.RegularExpressions.Regex.Match(e.Arguments, $@"\b{name}=(\S+)")).Single(m => m.Success).Groups[1].Value;

    [Fact]
    public void Stages_NodeThenSdkThenAspNetRuntime()
    {
        Assert.Equal(["web", "build", "runtime"], Stages.Select(s => s.Name));
        Assert.StartsWith("node:", Stages[0].Image, StringComparison.Ordinal);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", Stages[1].Image);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", Runtime.Image, StringComparison.Ordinal);
        Assert.Contains(Stages[1].All("RUN"), r => r.Arguments.Contains("dotnet publish src/Porthole/Porthole.csproj -c Release", StringComparison.Ordinal));
        Assert.Contains(Stages[0].All("RUN"), r => r.Arguments == "npm run build");

        // The runtime stage only copies what the build produced; it runs nothing (chiseled: no shell).
        Assert.Empty(Runtime.All("RUN"));
        Assert.All(Runtime.All("COPY"), c => Assert.Equal("build", Dockerfile.Copy(c).Flags["from"]));
    }

    [Fact]
    public void Runtime_NumericNonRootUserTheChartRunsAs()
    {
        var user = Assert.Single(Runtime.All("USER")).Arguments.Split(':');
        Assert.All(user, id => Assert.True(int.TryParse(id, out var n) && n > 0, $"USER {string.Join(':', user)} is not numeric and non-root"));
        var pod = (Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)HelmYaml.ReadMap(DeployPaths.Render().Single("Deployment").Yaml, "d")["spec"]!)["template"]!)["spec"]!)["securityContext"]!;
        Assert.Equal(double.Parse(user[0], System.Globalization.CultureInfo.InvariantCulture), pod["runAsUser"]);
        Assert.Equal(double.Parse(user[1], System.Globalization.CultureInfo.InvariantCulture), pod["runAsGroup"]);
        Assert.Contains(Runtime.All("COPY"), c => c.Arguments.Contains($"--chown={user[0]}:{user[1]}", StringComparison.Ordinal) && Dockerfile.Copy(c).Destination == "/data");
    }

    [Fact]
    public void Runtime_PortVolumeAndEntrypoint_MatchTheChart()
    {
        var container = Container();
        var port = (double)((Dictionary<string, object?>)((List<object?>)container["ports"]!)[0]!)["containerPort"]!;
        Assert.Equal($"{port}", Assert.Single(Runtime.All("EXPOSE")).Arguments);
        Assert.Equal($"{port}", Env(Runtime, "PORTHOLE_PORT"));
        Assert.Equal("/data", Env(Runtime, "PORTHOLE_DATA_DIR"));
        Assert.Equal("[\"/data\"]", Assert.Single(Runtime.All("VOLUME")).Arguments);
        Assert.Contains((List<object?>)container["volumeMounts"]!, m => ((Dictionary<string, object?>)m!)["mountPath"] is "/data");
        Assert.Equal("[\"/app/porthole\"]", Assert.Single(Runtime.All("ENTRYPOINT")).Arguments);
        Assert.Empty(Stages.SelectMany(s => s.All("HEALTHCHECK")));
        Assert.Empty(Stages.SelectMany(s => s.All("CMD")));
    }

    [Fact]
    public void Dockerfile_NoSecretsInArgsEnvOrContext()
    {
        var named = Stages.SelectMany(s => s.All("ARG").Concat(s.All("ENV")));
        Assert.DoesNotContain(named, i => System.Text.RegularExpressions.Regex.IsMatch(i.Arguments, "(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|CREDENTIAL)", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
        Assert.DoesNotContain(Stages.SelectMany(s => s.Instructions), i => i.Keyword == "ADD");

        var ignore = Ignore;
        foreach (var path in new[] { ".git/config", "data/porthole.db", "src/Porthole/bin/Release/net10.0/porthole.dll", "src/Porthole/obj/project.assets.json", "web/node_modules/vite/package.json", "kubesim.kubeconfig", "data/demo.kubeconfig", "src/Porthole/.env", "test/Porthole.Tests/TestCertificate.cs", ".test-out/e2e/a.png", "web/dist/index.html", "tls.key" })
        {
            Assert.True(ignore.Excludes(path), $"{path} would be sent to the builder");
        }

        foreach (var path in new[] { "global.json", "Directory.Packages.props", "src/Porthole/Program.cs", "src/Porthole/web.targets", "web/package-lock.json", "web/src/main.tsx" })
        {
            Assert.False(ignore.Excludes(path), $"{path} is needed and ignored");
        }

        // Every COPY from the context names something there.
        foreach (var copy in Stages.SelectMany(s => s.All("COPY")).Where(c => !Dockerfile.Copy(c).Flags.ContainsKey("from")))
        {
            Assert.All(Dockerfile.Copy(copy).Sources, s => Assert.True(File.Exists(Path.Combine(DeployPaths.Root, s)) || Directory.Exists(Path.Combine(DeployPaths.Root, s)), $"line {copy.Line}: {s} does not exist"));
        }
    }

    /// <summary>Takes about 2-3 minutes on the 2-core machine (a clean restore and publish, and the web build).</summary>
    [Fact]
    public async Task Build_StagesRunForReal_PublishedBinaryStartsAndIsReady()
    {
        var dir = Directory.CreateTempSubdirectory("porthole-docker-").FullName;
        try
        {
            var context = Path.Combine(dir, "context");
            DockerBuildSimulation.CopyContext(DeployPaths.Root, context, Ignore);
            Assert.False(Directory.Exists(Path.Combine(context, "src", "Porthole", "bin")));
            var build = new DockerBuildSimulation(dir, context);
            await build.RunAsync(Stages, TimeSpan.FromMinutes(12));

            // The entrypoint is the apphost of the publish output, in the runtime stage's /app.
            var app = Path.Combine(build.StageRoot("runtime"), "app");
            var entry = Path.Combine(app, "porthole");
            Assert.True(File.Exists(entry), "no /app/porthole in the runtime stage; /app has: " + string.Join(", ", Directory.GetFiles(app).Select(Path.GetFileName)));
            Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(entry).HasFlag(UnixFileMode.UserExecute), "/app/porthole is not executable");
            Assert.True(Directory.Exists(Path.Combine(build.StageRoot("runtime"), "data")), "no /data in the runtime stage");

            await using var porthole = new PortholeProcess(new Dictionary<string, string> { ["PORTHOLE_DEMO"] = "true" }, entry);
            var url = await porthole.ListeningAsync();
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(1) };
            await ReadyAsync(http);
            var page = await http.GetStringAsync("/");
            Assert.Contains("<div id=\"root\"", page, StringComparison.Ordinal);
            Assert.DoesNotContain("was not built", page, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Polls /readyz until 200 (the demo cluster's discovery is loaded), with a generous deadline.</summary>
    private static async Task ReadyAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            using var response = await http.GetAsync("/readyz");
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/readyz still answers {(int)response.StatusCode}");
            await Task.Delay(100);
        }
    }
}
