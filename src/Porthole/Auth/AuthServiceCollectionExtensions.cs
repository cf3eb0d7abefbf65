using Porthole.Auth;
using Porthole.Auth.Local;
using Porthole.Auth.Oidc;
using Porthole.Auth.Sessions;
using Porthole.Auth.Tokens;
using Porthole.Hosting;

namespace Microsoft.AspNetCore.Builder;

public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// What the configured auth mode needs: sessions (all but none and proxy), the users file
    /// (local), the token reviewer (token), the issuer's metadata and ID-token validation (oidc).
    /// </summary>
    public static WebApplicationBuilder AddPortholeAuth(this WebApplicationBuilder builder)
    {
        var options = builder.Services.Select(d => d.ImplementationInstance).OfType<PortholeOptions>().LastOrDefault()
            ?? throw new InvalidOperationException("AddPortholeHosting must come before AddPortholeAuth");
        var services = builder.Services;
        // Every mode: the secret also seals kubecube shell session ids in the store.
        services.AddSingleton(sp => SessionSecrets.Load(sp.GetRequiredService<PortholeOptions>()));
        if (options.AuthMode is AuthMode.None or AuthMode.Proxy)
        {
            return builder;
        }

        services.AddSingleton<SessionManager>();
        services.AddHostedService<AuthStartup>();
        if (options.DatabaseUrl is not null)
        {
            services.AddHostedService<RevocationSync>();
        }

        switch (options.AuthMode)
        {
            case AuthMode.Local:
                services.AddSingleton(sp => LocalUsers.Load(sp.GetRequiredService<PortholeOptions>().UsersFile!));
                services.AddSingleton<LoginThrottle>();
                services.AddSingleton<LocalAuthenticator>();
                break;
            case AuthMode.Token:
                services.AddSingleton<ValidatedTokenCache>();
                services.AddSingleton<KubernetesTokenReviewer>();
                services.AddSingleton<IBearerAuthenticator>(sp => sp.GetRequiredService<KubernetesTokenReviewer>());
                break;
            case AuthMode.Oidc:
                services.AddSingleton<ValidatedTokenCache>();
                services.AddSingleton<OidcMetadata>();
                services.AddSingleton<OidcTokenValidator>();
                services.AddSingleton<IBearerAuthenticator>(sp => sp.GetRequiredService<OidcTokenValidator>());
                services.AddSingleton<OidcFlow>();
                break;
            default:
                break;
        }

        return builder;
    }
}
