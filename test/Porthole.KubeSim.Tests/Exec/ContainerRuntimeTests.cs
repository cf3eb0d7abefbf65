using Porthole.KubeSim.Exec;

namespace Porthole.KubeSim.Tests.Exec;

public sealed class ContainerRuntimeTests
{
    private static readonly ContainerRuntime Runtime = new(Path.Combine(Path.GetTempPath(), "kubesim-runtime-tests"), "/usr/local/bin:/usr/bin:/bin");

    [Theory]
    [InlineData("busybox:1.36", "bash", false)]
    [InlineData("docker.io/library/alpine:3.20", "bash", false)]
    [InlineData("alpine", "sh", true)]
    [InlineData("nginx:1.27", "bash", true)]
    [InlineData("registry.k8s.io/pause:3.9", "ls", true)]
    [InlineData("gcr.io/distroless/base-debian12", "ls", false)]
    [InlineData("nginx", "no-such-tool-here", false)]
    public void Resolve_ImageAndCommand_FoundOrNot(string image, string command, bool found)
    {
        var (path, error) = Runtime.Resolve(image, command);

        Assert.Equal(found, path is not null);
        if (!found)
        {
            Assert.Equal($"exec: \"{command}\": executable file not found in $PATH", error);
        }
    }

    [Theory]
    [InlineData("mcr.microsoft.com/windows/servercore:ltsc2022", "powershell", "PS C:\\> ", new[] { "sh" })]
    [InlineData("mcr.microsoft.com/windows/servercore:ltsc2022", "PowerShell.exe -NoLogo -Command Get-Date", "PS C:\\> ", new[] { "sh", "-c", "Get-Date" })]
    [InlineData("mcr.microsoft.com/windows/nanoserver:ltsc2022", "cmd", "C:\\>", new[] { "sh" })]
    [InlineData("mcr.microsoft.com/windows/nanoserver:ltsc2022", "cmd.exe /c echo hi", "C:\\>", new[] { "sh", "-c", "echo hi" })]
    public void Resolve_WindowsShell_HostShWithItsPrompt(string image, string command, string prompt, string[] argv)
    {
        var resolved = Runtime.Resolve(image, command.Split(' '));

        Assert.Equal("sh", Path.GetFileName(resolved.Path));
        Assert.Equal(argv, resolved.Argv);
        Assert.Equal(prompt, resolved.Environment["PS1"]);
        Assert.True(resolved.Windows);
    }

    [Theory]
    [InlineData("mcr.microsoft.com/windows/servercore:ltsc2022", "bash")]
    [InlineData("mcr.microsoft.com/windows/servercore:ltsc2022", "sh")]
    [InlineData("mcr.microsoft.com/windows/servercore:ltsc2022", "ls")]
    [InlineData("mcr.microsoft.com/windows/nanoserver:ltsc2022", "powershell")]
    public void Resolve_WindowsImageWithoutIt_HcsshimError(string image, string command)
    {
        var resolved = Runtime.Resolve(image, [command]);

        Assert.Null(resolved.Path);
        Assert.Equal("The system cannot find the file specified.", resolved.Error);
    }

    [Fact]
    public void Resolve_AbsoluteBashOnBusybox_StatError()
    {
        var (path, error) = Runtime.Resolve("busybox", "/bin/bash");

        Assert.Null(path);
        Assert.Equal("exec: \"/bin/bash\": stat /bin/bash: no such file or directory", error);
    }

    [Fact]
    public void EnvironmentFor_Tty_PathHostnameHomeTermAndSpecEnv()
    {
        var env = Runtime.EnvironmentFor(ExecTestHost.Pod(), "app", tty: true);

        Assert.Equal("/usr/local/bin:/usr/bin:/bin", env["PATH"]);
        Assert.Equal("web", env["HOSTNAME"]);
        Assert.Equal("xterm-256color", env["TERM"]);
        Assert.Equal("hello world", env["MESSAGE"]);
        Assert.Equal("10.244.0.7", env["POD_IP"]);
        Assert.Equal(Path.Combine(Runtime.Root, "default", "web", "app"), env["HOME"]);
        Assert.True(Directory.Exists(env["HOME"]));
    }
}
