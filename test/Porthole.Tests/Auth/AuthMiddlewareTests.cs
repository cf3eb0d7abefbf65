using Microsoft.AspNetCore.Http;

namespace Porthole.Tests.Auth;

public sealed class AuthMiddlewareTests
{
    [Fact]
    public async Task Request_ModeNoneWithKubeconfig_UserIsCurrentContextUser()
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"porthole-test-{Guid.NewGuid():N}.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c1
              cluster: {server: "https://127.0.0.1:1"}
            users:
            - name: alice
              user: {token: t}
            contexts:
            - name: ctx1
              context: {cluster: c1, user: alice}
            current-context: ctx1
            """);
        try
        {
            await using var host = await PortholeTestHost.StartAsync(
                app => app.MapGet("/me", (HttpContext c) => $"{c.GetPortholeUser()?.Name}|{string.Join(',', c.GetPortholeUser()!.Groups)}"),
                new() { Kubeconfig = kubeconfig });
            using var client = host.Client();

            Assert.Equal("alice|system:authenticated", await client.GetStringAsync("/me"));
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}
