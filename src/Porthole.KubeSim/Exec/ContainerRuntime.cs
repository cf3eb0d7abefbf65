using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Exec;

/// <summary>
/// The environment of a simulated container: its own working directory (also HOME) under a root
/// folder, its spec's environment, and which executables its image has. Commands really run on the
/// host, but a missing executable fails the way containerd reports it.
/// </summary>
public sealed partial class ContainerRuntime
{
    /// <param name="root">Folder holding one working directory per container: {root}/{namespace}/{pod}/{container}.</param>
    /// <param name="hostPath">The PATH commands run with; the host's when null.</param>
    public ContainerRuntime(string root, string? hostPath = null)
    {
        Root = Path.GetFullPath(root);
        HostPath = hostPath ?? Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
    }

    public string Root { get; }

    public string HostPath { get; }

    /// <summary>{root}/{namespace}/{pod}/{container}, created on demand.</summary>
    public string WorkingDirectory(string podNamespace, string pod, string container)
    {
        var dir = Path.Combine(Root, Segment(podNamespace), Segment(pod), Segment(container));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The environment a process in <paramref name="container"/> of <paramref name="pod"/> sees.</summary>
    public Dictionary<string, string> EnvironmentFor(JsonObject pod, string container, bool tty)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = HostPath,
            ["HOSTNAME"] = pod.Name(),
        };
        if (tty)
        {
            env["TERM"] = "xterm-256color";
        }

        if (FindContainer(pod, container)?.Arr("env") is { } list)
        {
            foreach (var entry in list.OfType<JsonObject>())
            {
                var name = entry.Str("name");
                if (string.IsNullOrEmpty(name))
                {
                    continue;
                }

                var value = entry["value"] is not null ? Expand(entry.Str("value") ?? "", env) : FromField(pod, entry.Obj("valueFrom", "fieldRef"));
                if (value is not null)
                {
                    env[name] = value;
                }
            }
        }

        env["HOME"] = WorkingDirectory(pod.Namespace(), pod.Name(), container);
        return env;
    }

    /// <summary>
    /// Finds the executable for argv[0] as the container's image would: null with the runtime's
    /// error text (e.g. <c>exec: "bash": executable file not found in $PATH</c>) when the image lacks it.
    /// </summary>
    public (string? Path, string? Error) Resolve(string image, string command)
    {
        var kind = ImageKind(image);
        if (command.Contains('/'))
        {
            var missing = $"exec: \"{command}\": stat {command}: no such file or directory";
            if (kind == Image.Distroless || (kind == Image.Busybox && Path.GetFileName(command) == "bash"))
            {
                return (null, missing);
            }

            return File.Exists(command) ? (command, null) : (null, missing);
        }

        var notFound = $"exec: \"{command}\": executable file not found in $PATH";
        if (kind == Image.Distroless || (kind == Image.Busybox && command == "bash"))
        {
            return (null, notFound);
        }

        foreach (var dir in HostPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, command);
            if (File.Exists(candidate) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            {
                return (candidate, null);
            }
        }

        return (null, notFound);
    }

    /// <summary>The container spec (regular, init or ephemeral) named <paramref name="container"/>.</summary>
    public static JsonObject? FindContainer(JsonObject pod, string container)
    {
        foreach (var field in new[] { "containers", "initContainers", "ephemeralContainers" })
        {
            if (pod.Arr("spec", field)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("name") == container) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private enum Image
    {
        Full,
        Busybox,
        Distroless,
    }

    private static Image ImageKind(string image)
    {
        if (image.Contains("distroless", StringComparison.OrdinalIgnoreCase))
        {
            return Image.Distroless;
        }

        var repo = image.Split('@')[0];
        repo = repo[(repo.LastIndexOf('/') + 1)..];
        return repo.StartsWith("busybox", StringComparison.OrdinalIgnoreCase) || repo.StartsWith("alpine", StringComparison.OrdinalIgnoreCase)
            ? Image.Busybox
            : Image.Full;
    }

    private static string? FromField(JsonObject pod, JsonObject? fieldRef)
    {
        var path = fieldRef?.Str("fieldPath");
        return path switch
        {
            "metadata.name" => pod.Name(),
            "metadata.namespace" => pod.Namespace(),
            "metadata.uid" => pod.Uid(),
            "spec.nodeName" => pod.Str("spec", "nodeName") ?? "",
            "spec.serviceAccountName" => pod.Str("spec", "serviceAccountName") ?? "",
            "status.podIP" => pod.Str("status", "podIP") ?? "",
            "status.hostIP" => pod.Str("status", "hostIP") ?? "",
            _ when path?.StartsWith("metadata.labels['", StringComparison.Ordinal) == true => MapEntry(pod.Labels(), path),
            _ when path?.StartsWith("metadata.annotations['", StringComparison.Ordinal) == true => MapEntry(pod.Annotations(), path),
            _ => null,
        };
    }

    private static string MapEntry(IReadOnlyDictionary<string, string> map, string path)
    {
        var start = path.IndexOf("['", StringComparison.Ordinal) + 2;
        var key = path[start..path.LastIndexOf("']", StringComparison.Ordinal)];
        return map.TryGetValue(key, out var v) ? v : "";
    }

    /// <summary>Kubernetes $(VAR) expansion against earlier variables; $$ escapes, unknown references stay as written.</summary>
    private static string Expand(string value, Dictionary<string, string> env)
    {
        if (!value.Contains('$'))
        {
            return value;
        }

        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '$' && i + 1 < value.Length)
            {
                if (value[i + 1] == '$')
                {
                    sb.Append('$');
                    i++;
                    continue;
                }

                var end = value[i + 1] == '(' ? value.IndexOf(')', i + 2) : -1;
                if (end > 0)
                {
                    var name = value[(i + 2)..end];
                    sb.Append(env.TryGetValue(name, out var v) ? v : $"$({name})");
                    i = end;
                    continue;
                }
            }

            sb.Append(value[i]);
        }

        return sb.ToString();
    }

    private static string Segment(string name)
    {
        if (string.IsNullOrEmpty(name) || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            throw new ArgumentException($"invalid path segment \"{name}\"", nameof(name));
        }

        return name;
    }
}
