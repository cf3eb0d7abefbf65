using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Tests.Kubelet;

public sealed class ContainerFateTests
{
    private static readonly TimeSpan Cap = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(new[] { "echo", "done" }, 0, 0)]
    [InlineData(new[] { "/bin/sleep", "5" }, 5, 0)]
    [InlineData(new[] { "sleep", "2m" }, 120, 0)]
    [InlineData(new[] { "false" }, 0, 1)]
    [InlineData(new[] { "sh", "-c", "sleep 2; echo ok && exit 4" }, 2, 4)]
    [InlineData(new[] { "/bin/sh", "-c", "date; true" }, 0, 0)]
    [InlineData(new[] { "sleep", "100000" }, 300, 0)]
    public void Finite_RecognisedCommand_DurationAndExitCode(string[] argv, double seconds, int exitCode)
    {
        var result = ContainerFate.Finite(argv, Cap);

        Assert.NotNull(result);
        Assert.Equal(TimeSpan.FromSeconds(seconds), result.Value.Duration);
        Assert.Equal(exitCode, result.Value.ExitCode);
    }

    [Theory]
    [InlineData("nginx|-g|daemon off;")]
    [InlineData("sh|-c|while true; do sleep 1; done")]
    [InlineData("")]
    public void Finite_UnknownCommand_Null(string argv) =>
        Assert.Null(ContainerFate.Finite(argv.Split('|', StringSplitOptions.RemoveEmptyEntries), Cap));
}
