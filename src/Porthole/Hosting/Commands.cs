using Porthole.Auth.Local;
using Porthole.Auth.Sessions;

namespace Porthole.Hosting;

/// <summary>
/// The one-shot commands of the porthole executable, run instead of the server:
/// <c>porthole hash-password</c> (reads a password from stdin, prints its hash for the users
/// file) and <c>porthole rotate-session-secret [DATA_DIR]</c>.
/// </summary>
public static class Commands
{
    /// <summary>The exit code when <paramref name="args"/> named a command, else null (run the server).</summary>
    public static int? TryRun(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        switch (args)
        {
            case ["hash-password", ..]:
                var password = stdin.ReadLine();
                if (string.IsNullOrEmpty(password))
                {
                    stderr.WriteLine("porthole hash-password: no password on stdin (e.g. `echo -n 'secret' | porthole hash-password`)");
                    return 2;
                }

                stdout.WriteLine(PasswordHasher.Hash(password));
                return 0;

            case ["rotate-session-secret", .. var rest]:
                var dataDir = rest.FirstOrDefault() ?? Environment.GetEnvironmentVariable("PORTHOLE_DATA_DIR") ?? "./data";
                SessionSecrets.Rotate(dataDir);
                stdout.WriteLine($"Rotated {Path.Combine(dataDir, SessionSecrets.FileName)}: new sessions use the new secret; existing ones stay valid until the next rotation. Restart Porthole to apply.");
                return 0;

            default:
                return null;
        }
    }
}
