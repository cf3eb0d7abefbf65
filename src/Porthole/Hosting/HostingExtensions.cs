using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Porthole.Hosting;
using Porthole.Hosting.Drain;

namespace Microsoft.AspNetCore.Builder;

public static class HostingExtensions
{
    /// <summary>
    /// Reads and validates the settings of this process. On any error prints every error to
    /// stderr and returns false: the caller exits non-zero before listening.
    /// </summary>
    public static bool AddPortholeConfiguration(this WebApplicationBuilder builder, string[] args)
    {
        var result = PortholeSettingsLoader.Load(args);
        if (result.Options is null)
        {
            Console.Error.WriteLine("porthole: invalid configuration:");
            foreach (var error in result.Errors)
            {
                Console.Error.WriteLine($"  {error}");
            }

            return false;
        }

        builder.AddPortholeHosting(result.Options);
        return true;
    }

    /// <summary>
    /// The listener (PORTHOLE_BIND:PORTHOLE_PORT, optional TLS), the drain budget, logging
    /// (JSON lines in production, text in development) and the lifecycle log.
    /// </summary>
    public static WebApplicationBuilder AddPortholeHosting(this WebApplicationBuilder builder, PortholeOptions options)
    {
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Bind, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (options.TlsCert is not null && options.TlsKey is not null)
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(X509Certificate2.CreateFromPemFile(options.TlsCert, options.TlsKey));
                }
            });
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout);

        builder.Logging.ClearProviders();
        if (builder.Environment.IsDevelopment())
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }
        else
        {
            builder.Logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
        }

        // ASP.NET's own request logs include query strings, which may carry tokens: ours do not.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("KubeSim", LogLevel.Warning);
        builder.Services.AddHostedService<LifecycleLogger>();
        builder.Services.AddSingleton<ServerContext>();
        builder.Services.AddSingleton<WebSocketTracker>();
        builder.Services.AddHostedService<DrainService>();
        return builder;
    }
}
