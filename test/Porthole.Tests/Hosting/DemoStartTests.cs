using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Porthole.Clusters;
using Porthole.Hosting;

namespace Porthole.Tests.Hosting;

public sealed class DemoStartTests
{
    /// <summary>Program.cs's calls, with the given command line and environment.</summary>
    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(string[] args, Dictionary<string, string?> env, Action<WebApplication>? map = null)
    {
        var result = PortholeSettingsLoader.Load(args, env);
        Assert.Empty(result.Errors);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, EnvironmentName = "Production" });
        builder.AddPortholeHosting(result.Options!);
        builder.AddPortholeClusters();
        builder.AddPortholePipeline();
        builder.AddPortholeDiagnostics();
        var app = builder.Build();
        app.UsePortholePipeline();
        app.MapPortholeDiagnostics();
        app.MapPortholeApi();
        map?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) });
    }

    private static Dictionary<string, string?> EmptyHome(string home) => new() { ["HOME"] = home, ["PORTHOLE_PORT"] = "0" };

    [Fact]
    public async Task Start_DemoFlag_KubeSimStartedAndReadyz200()
    {
        var home = Directory.CreateTempSubdirectory("porthole-home-").FullName;
        var (app, client) = await StartAsync(["--demo"], EmptyHome(home));
        await using (app)
        using (client)
        {
            // Ready once every cluster's discovery has loaded.
            var registry = app.Services.GetRequiredService<ClusterRegistry>();
            await registry.WhenLoaded.WaitAsync(TimeSpan.FromMinutes(1));
            await Task.WhenAll(registry.Clusters.Select(c => c.Discovery.WhenLoaded)).WaitAsync(TimeSpan.FromMinutes(1));
            using var ready = await client.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());

            Assert.Contains(registry.Clusters, c => c.Name == "sim-porthole");
            Assert.Equal("sim-admin", registry.CurrentUser);
            Assert.StartsWith("https://127.0.0.1:", registry.Clusters[0].Server, StringComparison.Ordinal);
            await app.StopAsync();
        }

        Directory.Delete(home, recursive: true);
    }

    [Fact]
    public async Task Start_NoClusterAndDemoOff_Readyz503ButLivez200()
    {
        var home = Directory.CreateTempSubdirectory("porthole-home-").FullName;
        var env = EmptyHome(home);
        env["PORTHOLE_DEMO"] = "false";
        var (app, client) = await StartAsync([], env);
        await using (app)
        using (client)
        {
            using var ready = await client.GetAsync("/readyz");
            using var live = await client.GetAsync("/livez");
            using var healthz = await client.GetAsync("/healthz");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
            await app.StopAsync();
        }

        Directory.Delete(home, recursive: true);
    }

    [Fact]
    public async Task Stop_RequestInFlight_CompletesBeforeHostStops()
    {
        var home = Directory.CreateTempSubdirectory("porthole-home-").FullName;
        var env = EmptyHome(home);
        env["PORTHOLE_DEMO"] = "false";
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (app, client) = await StartAsync([], env, a => a.MapGet("/slow", async () =>
        {
            entered.SetResult();
            await release.Task;
            return "finished";
        }));
        await using (app)
        using (client)
        {
            var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            app.Services.GetRequiredService<ServerContext>().Stopping.Register(() => stopping.SetResult());

            var inFlight = client.GetStringAsync("/slow");
            await entered.Task.WaitAsync(TimeSpan.FromMinutes(1));
            var stop = app.StopAsync();
            await stopping.Task.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.False(stop.IsCompleted);

            release.SetResult();

            Assert.Equal("finished", await inFlight.WaitAsync(TimeSpan.FromMinutes(1)));
            await stop.WaitAsync(TimeSpan.FromMinutes(1));
        }

        Directory.Delete(home, recursive: true);
    }
}
