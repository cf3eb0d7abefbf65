using Porthole.Auth.Sessions;
using Porthole.Hosting;

namespace Porthole.Tests.Auth.Sessions;

public sealed class SessionSecretsTests
{
    [Fact]
    public void Load_NoSecretConfigured_GeneratedOwnerOnlyAndReusedOnRestart()
    {
        using var dir = new TempDir();
        var options = new PortholeOptions { DataDir = Path.Combine(dir.Path, "data") };

        var first = SessionSecrets.Load(options);
        var again = SessionSecrets.Load(options);

        var file = Path.Combine(options.DataDir, SessionSecrets.FileName);
        Assert.Equal(first.Current, again.Current);
        Assert.Null(first.Previous);
        Assert.True(first.Current.Length >= 32);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(options.DataDir));
        }
    }

    [Fact]
    public void Rotate_GeneratedSecret_OldCurrentBecomesPrevious()
    {
        using var dir = new TempDir();
        var options = new PortholeOptions { DataDir = dir.Path };
        var before = SessionSecrets.Load(options);

        SessionSecrets.Rotate(dir.Path);
        var after = SessionSecrets.Load(options);

        Assert.NotEqual(before.Current, after.Current);
        Assert.Equal(before.Current, after.Previous);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Path, SessionSecrets.FileName)));
        }
    }

    [Fact]
    public void Load_ConfiguredSecrets_UsedAndNothingWritten()
    {
        using var dir = new TempDir();
        var secrets = SessionSecrets.Load(new PortholeOptions
        {
            DataDir = dir.Path,
            SessionSecret = new string('a', 32),
            SessionSecretPrevious = new string('b', 32),
        });

        Assert.Equal((byte)'a', secrets.Current[0]);
        Assert.Equal((byte)'b', secrets.Previous![0]);
        Assert.False(File.Exists(Path.Combine(dir.Path, SessionSecrets.FileName)));
    }
}
