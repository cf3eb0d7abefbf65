using Microsoft.AspNetCore.Http;

namespace Porthole.Tests.Auth;

public sealed class ImpersonationMiddlewareTests
{
    [Fact]
    public async Task Request_ClientImpersonateHeaders_StrippedAndFeatureIsSignedInUser()
    {
        await using var host = await PortholeTestHost.StartAsync(app => app.MapGet("/who", (HttpContext c) =>
        {
            var leaked = c.Request.Headers.Keys.Count(k => k.StartsWith("Impersonate-", StringComparison.OrdinalIgnoreCase));
            var impersonation = c.GetImpersonation();
            return $"{leaked}|{impersonation?.UserName}|{impersonation?.Impersonate}";
        }));
        using var client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/who");
        request.Headers.Add("Impersonate-User", "system:admin");
        request.Headers.Add("Impersonate-Group", "system:masters");
        request.Headers.Add("impersonate-extra-scopes", "all");

        using var response = await client.SendAsync(request);

        Assert.Equal("0|kubeconfig|False", await response.Content.ReadAsStringAsync());
    }
}
