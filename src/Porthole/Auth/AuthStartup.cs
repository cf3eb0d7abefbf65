using Porthole.Auth.Oidc;
using Porthole.Auth.Sessions;
using Porthole.Hosting;

namespace Porthole.Auth;

/// <summary>
/// At start: loads the session secret and revocation list (a broken data dir stops the process
/// before it listens) and, in oidc mode, fetches the issuer's discovery document and keys once;
/// an unreachable issuer is logged and retried on the first sign-in rather than fatal.
/// </summary>
internal sealed partial class AuthStartup(PortholeOptions options, IServiceProvider services, ILogger<AuthStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await services.GetRequiredService<SessionManager>().LoadRevokedAsync(cancellationToken);
        if (options.AuthMode != AuthMode.Oidc)
        {
            return;
        }

        try
        {
            await services.GetRequiredService<OidcMetadata>().GetAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException or System.Text.Json.JsonException or ArgumentException)
        {
            LogIssuerUnreachable(logger, e, options.Oidc.Issuer);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1225, Level = LogLevel.Warning, Message = "Could not read the OIDC discovery document of {Issuer} at start; sign-ins will retry")]
    private static partial void LogIssuerUnreachable(ILogger logger, Exception exception, Uri? issuer);
}
