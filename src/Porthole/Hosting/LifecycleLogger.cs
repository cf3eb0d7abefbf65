using System.Reflection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Porthole.Hosting;

/// <summary>Logs the banner, the listening addresses and each phase of the graceful drain.</summary>
internal sealed partial class LifecycleLogger(
    IHostApplicationLifetime lifetime, IServer server, PortholeOptions options, ILogger<LifecycleLogger> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var version = typeof(LifecycleLogger).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";
        LogBanner(logger, version, options.AuthMode.ToString().ToLowerInvariant(), options.Demo);
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            LogListening(logger, string.Join(", ", addresses));
        });
        lifetime.ApplicationStopping.Register(() => LogDraining(logger, options.DrainTimeout.TotalSeconds));
        lifetime.ApplicationStopped.Register(() => LogStopped(logger));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Porthole {Version} starting (auth mode {AuthMode}, demo {Demo})")]
    private static partial void LogBanner(ILogger logger, string version, string authMode, bool demo);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Listening on {Addresses}")]
    private static partial void LogListening(ILogger logger, string addresses);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Shutdown requested: no new connections; draining in-flight requests within {Seconds} s")]
    private static partial void LogDraining(ILogger logger, double seconds);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Stopped")]
    private static partial void LogStopped(ILogger logger);
}
