using System.Text;

namespace Porthole.KubeSim.Hosting;

/// <summary>
/// Writes a kubeconfig for the running simulator: one cluster with the generated CA, one
/// user and one context per simulated user, sim-admin current.
/// </summary>
public static class Kubeconfig
{
    public const string ClusterName = "kubesim";

    public static string Render(string serverUrl, string caPem, IReadOnlyList<(string User, string Token)> users, string currentUser)
    {
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem));
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nkind: Config\npreferences: {}\n");
        sb.Append("clusters:\n");
        sb.Append($"- name: {ClusterName}\n  cluster:\n    server: {serverUrl}\n    certificate-authority-data: {ca}\n");
        sb.Append("users:\n");
        foreach (var (user, token) in users)
        {
            sb.Append($"- name: {user}\n  user:\n    token: {token}\n");
        }

        sb.Append("contexts:\n");
        foreach (var (user, _) in users)
        {
            sb.Append($"- name: {user}\n  context:\n    cluster: {ClusterName}\n    user: {user}\n    namespace: default\n");
        }

        sb.Append($"current-context: {currentUser}\n");
        return sb.ToString();
    }

    /// <summary>Writes the file readable by its owner only: it holds bearer tokens.</summary>
    public static void Write(string path, string content)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(full, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(content);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
