using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Porthole.Hosting;
using Porthole.Storage;

namespace Porthole.Auth.Sessions;

/// <summary>
/// The session secrets: the current one signs and verifies, the previous one (during a rotation)
/// only verifies. From PORTHOLE_SESSION_SECRET[_PREVIOUS], else from {dataDir}/session-secret
/// (line 1 current, optional line 2 previous), generated owner-only on first start.
/// </summary>
public sealed class SessionSecrets
{
    public const string FileName = "session-secret";

    public SessionSecrets(byte[] current, byte[]? previous)
    {
        Current = current;
        Previous = previous;
    }

    public byte[] Current { get; }

    public byte[]? Previous { get; }

    /// <summary>Current first, then previous.</summary>
    public IReadOnlyList<byte[]> All => Previous is null ? [Current] : [Current, Previous];

    public static SessionSecrets Load(PortholeOptions options)
    {
        if (options.SessionSecret is { } secret)
        {
            return new SessionSecrets(Encoding.UTF8.GetBytes(secret), options.SessionSecretPrevious is { } p ? Encoding.UTF8.GetBytes(p) : null);
        }

        DataDirectory.Ensure(options.DataDir);
        var path = Path.Combine(options.DataDir, FileName);
        if (!File.Exists(path))
        {
            try
            {
                DataDirectory.WriteOwnerOnly(path, NewSecret() + "\n");
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }

        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0 || lines.Any(l => l.Length < 32))
        {
            throw new InvalidOperationException($"{path}: expected one or two secrets of at least 32 characters, one per line");
        }

        return new SessionSecrets(Encoding.UTF8.GetBytes(lines[0]), lines.Length > 1 ? Encoding.UTF8.GetBytes(lines[1]) : null);
    }

    /// <summary>
    /// Rotates the generated secret file: a new current secret, the old current becomes previous
    /// (the old previous is dropped). Cookies signed before stay valid until the next rotation.
    /// </summary>
    public static void Rotate(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        var current = File.Exists(path) ? File.ReadAllLines(path).FirstOrDefault(l => l.Length > 0) : null;
        var next = path + ".new";
        File.Delete(next);
        DataDirectory.WriteOwnerOnly(next, NewSecret() + "\n" + (current is null ? "" : current + "\n"));
        File.Move(next, path, overwrite: true);
    }

    private static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
