using Porthole.Storage.Postgres;

namespace Porthole.Hosting;

public static partial class PortholeSettingsLoader
{
    /// <summary>
    /// PORTHOLE_DATABASE_URL: empty for SQLite, else a PostgreSQL URL or Npgsql key/value string
    /// (checked here, not connected to: an unreachable database stops the start later, naming
    /// host:port/database). The value itself is never echoed: it holds the password. With
    /// PostgreSQL every replica must sign cookies with one secret, so PORTHOLE_SESSION_SECRET is required.
    /// </summary>
    private static void ValidateDatabase(PortholeOptions options, List<string> errors)
    {
        if (options.DatabaseUrl is not { } url)
        {
            return;
        }

        if (!PostgresConnectionString.IsPostgres(url))
        {
            errors.Add("PORTHOLE_DATABASE_URL: not a postgres:// URL (postgres://user:password@host:5432/porthole?sslmode=require) or an Npgsql key/value string (Host=...;Database=...); leave it empty for SQLite in PORTHOLE_DATA_DIR");
            return;
        }

        try
        {
            PostgresConnectionString.Parse(url);
        }
        catch (ArgumentException e)
        {
            errors.Add($"PORTHOLE_DATABASE_URL: {e.Message}");
            return;
        }

        if (options.SessionSecret is null)
        {
            errors.Add("PORTHOLE_SESSION_SECRET: required with a PostgreSQL PORTHOLE_DATABASE_URL: every replica must sign and verify cookies (and seal shell session ids) with the same secret");
        }
    }
}
