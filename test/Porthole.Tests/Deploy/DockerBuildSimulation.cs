using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Porthole.Tests.Deploy;

/// <summary>
/// Runs deploy/Dockerfile's stages without a Docker engine: each stage gets its own directory
/// standing for its root filesystem; WORKDIR, ENV, COPY (from the context filtered by
/// Dockerfile.dockerignore, or <c>--from</c> an earlier stage) and RUN (through sh, absolute
/// paths mapped into the stage's directory) are carried out for real. The one liberty:
/// <c>npm ci</c> links the repository's installed web/node_modules instead of downloading
/// them again (the same lockfile; the build ran npm ci).
/// </summary>
internal sealed partial class DockerBuildSimulation(string root, string contextDir)
{
    private readonly Dictionary<string, string> _stageRoots = new(StringComparer.Ordinal);

    public List<string> Log { get; } = [];

    /// <summary>The directory standing for <paramref name="stage"/>'s root filesystem.</summary>
    public string StageRoot(string stage) => _stageRoots[stage];

    public async Task RunAsync(IReadOnlyList<DockerStage> stages, TimeSpan deadline)
    {
        using var cts = new CancellationTokenSource(deadline);
        foreach (var stage in stages)
        {
            var stageRoot = Directory.CreateDirectory(Path.Combine(root, "stage-" + stage.Name)).FullName;
            _stageRoots[stage.Name] = stageRoot;
            var workdir = "/";
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var instruction in stage.Instructions)
            {
                switch (instruction.Keyword)
                {
                    case "WORKDIR":
                        workdir = instruction.Arguments.StartsWith('/') ? instruction.Arguments : Path.Combine(workdir, instruction.Arguments);
                        Directory.CreateDirectory(Map(stageRoot, workdir));
                        break;
                    case "ENV":
                        foreach (Match m in EnvPair().Matches(instruction.Arguments))
                        {
                            env[m.Groups[1].Value] = m.Groups[2].Value;
                        }

                        break;
                    case "COPY":
                        Copy(instruction, stageRoot, workdir);
                        break;
                    case "RUN":
                        await RunAsync(instruction, stageRoot, workdir, env, cts.Token);
                        break;
                }
            }
        }
    }

    private void Copy(DockerInstruction instruction, string stageRoot, string workdir)
    {
        var (flags, sources, destination) = Dockerfile.Copy(instruction);
        var target = Map(stageRoot, destination.StartsWith('/') ? destination : Path.Combine(workdir, destination));
        foreach (var source in sources)
        {
            var from = flags.TryGetValue("from", out var stage) ? Map(_stageRoots[stage], source) : Path.Combine(contextDir, source);
            if (File.Exists(from))
            {
                var file = destination.EndsWith('/') || sources.Count > 1 || Directory.Exists(target) ? Path.Combine(target, Path.GetFileName(from)) : target;
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.Copy(from, file, overwrite: true);
            }
            else if (Directory.Exists(from))
            {
                CopyTree(from, target);
            }
            else
            {
                throw new FileNotFoundException($"line {instruction.Line}: COPY {source}: not in the {(stage is null ? "build context (after Dockerfile.dockerignore)" : "stage " + stage)}");
            }
        }
    }

    private async Task RunAsync(DockerInstruction instruction, string stageRoot, string workdir, Dictionary<string, string> env, CancellationToken ct)
    {
        var dir = Map(stageRoot, workdir);
        if (instruction.Arguments.StartsWith("npm ci", StringComparison.Ordinal))
        {
            Directory.CreateSymbolicLink(Path.Combine(dir, "node_modules"), Path.Combine(DeployPaths.Root, "web", "node_modules"));
            Log.Add($"RUN {instruction.Arguments}: linked the repository's web/node_modules");
            return;
        }

        // Absolute paths of the image (/app, /rootfs/data) live under the stage's directory.
        var command = AbsolutePath().Replace(instruction.Arguments, m => m.Groups[1].Value + Map(stageRoot, m.Groups[2].Value));
        var start = new ProcessStartInfo("sh", ["-c", command]) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"line {instruction.Line}: RUN {instruction.Arguments} did not finish in time");
        }

        Log.Add($"RUN {instruction.Arguments}: exit {process.ExitCode} in {watch.Elapsed.TotalSeconds:0.0} s");
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"line {instruction.Line}: RUN {command} failed with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    /// <summary>Copies the build context: every file the ignore file lets through.</summary>
    public static void CopyContext(string from, string to, DockerIgnore ignore)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            var relative = Path.GetRelativePath(from, file).Replace('\\', '/');
            if (relative.StartsWith(".git/", StringComparison.Ordinal) || relative.Contains("node_modules/", StringComparison.Ordinal) || ignore.Excludes(relative))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>COPY of a directory: its contents into the destination, which is made even when empty.</summary>
    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var sub in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, sub)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static string Map(string stageRoot, string path) => Path.Combine(stageRoot, path.TrimStart('/'));

    [GeneratedRegex(@"(\w+)=(\S+)")]
    private static partial Regex EnvPair();

    [GeneratedRegex(@"(^|\s)(/[\w./-]+)")]
    private static partial Regex AbsolutePath();
}
