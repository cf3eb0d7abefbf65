using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Porthole.Hosting;

namespace Porthole.Tests;

/// <summary>
/// A real Porthole host on Kestrel (127.0.0.1, port 0) built with the same extension calls as
/// Program.cs, plus the test's own endpoints; its log lines are captured.
/// </summary>
public sealed class PortholeTestHost : IAsyncDisposable
{
    private PortholeTestHost(WebApplication app, Uri url, LogCapture logs)
    {
        App = app;
        Url = url;
        Logs = logs;
    }

    private string? _tempDataDir;

    public WebApplication App { get; }

    public Uri Url { get; }

    public LogCapture Logs { get; }

    /// <summary>
    /// Starts Porthole. Without a data dir of its own (options.DataDir left at ./data) the host
    /// gets a fresh temporary one, deleted on dispose; <paramref name="time"/> replaces the clock.
    /// </summary>
    /// <param name="afterPipeline">Middleware run after the 13 stages, before the endpoint.</param>
    /// <param name="services">Extra service registrations, applied last.</param>
    public static async Task<PortholeTestHost> StartAsync(Action<IEndpointRouteBuilder>? map = null, PortholeOptions? options = null, Action<IApplicationBuilder>? afterPipeline = null, TimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        options ??= new PortholeOptions();
        string? tempDataDir = null;
        if (options.DataDir == new PortholeOptions().DataDir)
        {
            tempDataDir = Path.Combine(Path.GetTempPath(), $"porthole-test-{Guid.NewGuid():N}");
            options = options with { DataDir = tempDataDir };
        }

        builder.AddPortholeHosting(options with { Port = 0 });
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        var logs = new LogCapture();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.AddPortholeFeatures();
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UsePortholePipeline();
        afterPipeline?.Invoke(app);
        app.MapPortholeEndpoints();
        map?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new PortholeTestHost(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)), logs) { _tempDataDir = tempDataDir };
    }

    /// <summary>A client without automatic decompression, so encodings are visible.</summary>
    public HttpClient Client() => new(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None, UseCookies = false })
    {
        BaseAddress = Url,
        Timeout = TimeSpan.FromMinutes(2),
    };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (_tempDataDir is not null)
        {
            Directory.Delete(_tempDataDir, recursive: true);
        }
    }
}

/// <summary>Collects formatted log lines.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<(string Category, string Message)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue((category, formatter(state, exception) + (exception is null ? "" : " | " + exception)));
    }
}
