using Porthole.Auth.Local;
using Porthole.Auth.Sessions;
using Porthole.Hosting;

namespace Porthole.Tests.Hosting;

public sealed class CommandsTests
{
    [Fact]
    public void HashPassword_PasswordOnStdin_PrintsVerifiablePbkdf2Hash()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = Commands.TryRun(["hash-password"], new StringReader("correct horse\n"), stdout, stderr);

        var hash = stdout.ToString().Trim();
        Assert.Equal(0, exit);
        Assert.StartsWith($"pbkdf2-sha256${PasswordHasher.DefaultIterations}$", hash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify("correct horse", hash));
        Assert.False(PasswordHasher.Verify("correct horse ", hash));
        Assert.Null(PasswordHasher.Problem(hash));
    }

    [Fact]
    public void HashPassword_EmptyStdin_ExitCode2AndMessage()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = Commands.TryRun(["hash-password"], new StringReader(""), stdout, stderr);

        Assert.Equal(2, exit);
        Assert.Empty(stdout.ToString());
        Assert.Contains("no password on stdin", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RotateSessionSecret_DataDir_PreviousIsOldCurrent()
    {
        using var dir = new TempDir();
        var before = SessionSecrets.Load(new PortholeOptions { DataDir = dir.Path });

        var exit = Commands.TryRun(["rotate-session-secret", dir.Path], TextReader.Null, TextWriter.Null, TextWriter.Null);

        Assert.Equal(0, exit);
        Assert.Equal(before.Current, SessionSecrets.Load(new PortholeOptions { DataDir = dir.Path }).Previous);
    }

    [Fact]
    public void TryRun_ServerArguments_NotACommand()
    {
        Assert.Null(Commands.TryRun(["--demo"], TextReader.Null, TextWriter.Null, TextWriter.Null));
    }
}
