namespace Porthole.Tests.Pipeline;

public sealed class RecoveryMiddlewareTests
{
    [Fact]
    public async Task Request_EndpointThrows_500ProblemWithoutStackTraceAndServerStaysUp()
    {
        await using var host = await PortholeTestHost.StartAsync(app =>
            app.MapGet("/boom", string () => throw new InvalidOperationException("secret internals")));
        using var client = host.Client();

        using var response = await client.GetAsync("/boom");
        var problem = await ProblemJson.AssertProblemAsync(response, 500, "internal_error");
        var text = problem.ToString();
        Assert.DoesNotContain("secret internals", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));

        using var after = await client.GetAsync("/healthz");
        Assert.Equal(200, (int)after.StatusCode);
    }
}
