using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Porthole.KubeSim.Hosting;

public sealed partial class SimServer
{
    private readonly SemaphoreSlim _listenerLock = new(1, 1);
    private readonly Listener _listener;

    /// <summary>Kestrel over TLS on the endpoint, HTTP/1.1 and HTTP/2; rebuilt when a fault restarts the listener.</summary>
    private static WebApplication BuildApp(Listener listener)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(SimServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        if (listener.LoggerFactory is not null)
        {
            builder.Services.AddSingleton(listener.LoggerFactory);
        }

        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 3 * 1024 * 1024;
            k.Listen(listener.Endpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(listener.Ca.ServerCertificate);
            });
        });
        return builder.Build();
    }

    private static void Route(WebApplication app, Listener listener)
    {
        var api = listener.Api ?? throw new InvalidOperationException("no API to route to");
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Run(api.HandleAsync);
    }

    /// <summary>Stops listening: open connections end (after a short grace), new ones are refused.</summary>
    private async Task StopListenerAsync()
    {
        await _listenerLock.WaitAsync();
        try
        {
            if (_app is null)
            {
                return;
            }

            using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
            {
                await _app.StopAsync(grace.Token);
            }

            await _app.DisposeAsync();
            _app = null;
        }
        finally
        {
            _listenerLock.Release();
        }
    }

    /// <summary>Listens again on the same address and port, with the same certificate and state.</summary>
    private async Task StartListenerAsync()
    {
        await _listenerLock.WaitAsync();
        try
        {
            if (_app is not null)
            {
                return;
            }

            var app = BuildApp(_listener);
            Route(app, _listener);
            await app.StartAsync();
            _app = app;
        }
        finally
        {
            _listenerLock.Release();
        }
    }

    /// <summary>What it takes to (re)build the listener.</summary>
    private sealed record Listener(IPEndPoint Endpoint, CertificateAuthority Ca, ILoggerFactory? LoggerFactory)
    {
        public Server.KubeApi? Api { get; init; }
    }
}
