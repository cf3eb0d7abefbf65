using System.Globalization;
using Npgsql;

namespace Porthole.Storage.Postgres;

/// <summary>
/// PORTHOLE_DATABASE_URL for PostgreSQL: a URL <c>postgres://user:password@host:port/database?sslmode=require</c>
/// (also <c>postgresql://</c>; user and password percent-encoded; query keys as libpq names them:
/// sslmode, connect_timeout, application_name, sslrootcert, sslcert, sslkey, target_session_attrs,
/// options; other keys as Npgsql names them) or an Npgsql key/value string
/// (<c>Host=db;Database=porthole;Username=porthole;Password=...</c>). Unset timeouts default to a
/// 5 s connect and a 15 s command timeout. Error messages never contain the password.
/// </summary>
internal static class PostgresConnectionString
{
    /// <summary>True when <paramref name="value"/> names PostgreSQL (a postgres URL or a key/value string) rather than SQLite.</summary>
    public static bool IsPostgres(string value) =>
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || value.Contains('=', StringComparison.Ordinal);

    /// <summary>The connection settings; throws <see cref="ArgumentException"/> with a message fit for the log.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string value)
    {
        var builder = value.Contains("://", StringComparison.Ordinal) ? FromUrl(value) : FromKeyValues(value);
        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new ArgumentException("no host");
        }

        if (string.IsNullOrEmpty(builder.Database))
        {
            throw new ArgumentException("no database name (postgres://user:password@host:5432/DATABASE)");
        }

        if (!value.Contains("timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.Timeout = 5;
            builder.CommandTimeout = 15;
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "porthole";
        }

        if (builder.KeepAlive == 0)
        {
            builder.KeepAlive = 10; // a vanished server is noticed on idle connections too (the revocation listener)
        }

        return builder;
    }

    /// <summary>host:port/database, for logs and /metrics: never the user or password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder) =>
        string.Create(CultureInfo.InvariantCulture, $"{builder.Host}:{builder.Port}/{builder.Database}");

    private static NpgsqlConnectionStringBuilder FromKeyValues(string value)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(value);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            // Npgsql's message names the keyword, not the value.
            throw new ArgumentException($"not an Npgsql connection string: {e.Message}");
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "postgres" && uri.Scheme != "postgresql"))
        {
            throw new ArgumentException("not a URL such as postgres://user:password@host:5432/porthole?sslmode=require");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.IdnHost.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var v = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            try
            {
                Apply(builder, key, v);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                throw new ArgumentException($"query parameter '{key}' is not accepted: {e.Message}");
            }
        }

        return builder;
    }

    private static void Apply(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key.ToLowerInvariant())
        {
            case "sslmode":
                builder.SslMode = value.ToLowerInvariant() switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw new ArgumentException("sslmode is one of disable, allow, prefer, require, verify-ca, verify-full"),
                };
                break;
            case "connect_timeout":
                builder.Timeout = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "sslrootcert":
                builder.RootCertificate = value;
                break;
            case "sslcert":
                builder.SslCertificate = value;
                break;
            case "sslkey":
                builder.SslKey = value;
                break;
            case "target_session_attrs":
                builder.TargetSessionAttributes = value;
                break;
            case "options":
                builder.Options = value;
                break;
            default:
                builder[key] = value;
                break;
        }
    }
}
