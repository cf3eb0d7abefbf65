namespace Porthole.Hosting;

public static partial class PortholeSettingsLoader
{
    /// <summary>What each auth mode needs before Porthole may start with it.</summary>
    private static void ValidateAuth(PortholeOptions options, List<string> errors)
    {
        switch (options.AuthMode)
        {
            case AuthMode.Local when options.UsersFile is null:
                errors.Add("PORTHOLE_USERS_FILE: required by auth mode local (YAML: users: [{username, passwordHash, groups: []}])");
                break;
            case AuthMode.Local when !File.Exists(options.UsersFile):
                errors.Add($"PORTHOLE_USERS_FILE: file '{options.UsersFile}' does not exist");
                break;
            case AuthMode.Local:
                try
                {
                    Porthole.Auth.Local.LocalUsers.Load(options.UsersFile);
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
                {
                    errors.Add(e.Message.StartsWith("PORTHOLE_USERS_FILE", StringComparison.Ordinal) ? e.Message : $"PORTHOLE_USERS_FILE: {e.Message}");
                }

                break;
            case AuthMode.Oidc:
                if (options.Oidc.Issuer is null)
                {
                    errors.Add("PORTHOLE_OIDC_ISSUER: required by auth mode oidc");
                }

                if (options.Oidc.ClientId is null)
                {
                    errors.Add("PORTHOLE_OIDC_CLIENT_ID: required by auth mode oidc");
                }

                break;
            case AuthMode.Proxy when options.TrustedProxies.Count == 0:
                errors.Add("PORTHOLE_TRUSTED_PROXIES: required by auth mode proxy (the CIDRs of the proxies that set X-Forwarded-User)");
                break;
            default:
                break;
        }

        foreach (var (name, secret) in new[] { ("SESSION_SECRET", options.SessionSecret), ("SESSION_SECRET_PREVIOUS", options.SessionSecretPrevious) })
        {
            if (secret is not null && secret.Length < 32)
            {
                errors.Add($"PORTHOLE_{name}: must be at least 32 characters (e.g. the output of `openssl rand -base64 32`)");
            }
        }

        if (options.SessionSecretPrevious is not null && options.SessionSecret is null)
        {
            errors.Add("PORTHOLE_SESSION_SECRET_PREVIOUS: set only together with PORTHOLE_SESSION_SECRET");
        }
    }
}
