using System.Diagnostics;
using Porthole.Hosting;
using Porthole.Storage.Postgres;

namespace Porthole.Tests.Hosting;

public sealed class PortholeSettingsLoaderDatabaseTests
{
    private const string Secret = "a-shared-session-secret-of-32-characters";

    private static Dictionary<string, string?> Env(params (string Key, string Value)[] values) =>
        values.ToDictionary(v => v.Key, v => (string?)v.Value);

    [Fact]
    public void Load_NoDatabaseUrl_SqliteInDataDir()
    {
        var result = PortholeSettingsLoader.Load([], Env());

        Assert.Null(result.Options!.DatabaseUrl);
    }

    [Theory]
    [InlineData("postgres://porthole:s%40cret@db.example:6543/console?sslmode=verify-full&application_name=p1", "db.example", 6543, "console", "porthole", "s@cret")]
    [InlineData("postgresql://u@[::1]/d", "::1", 5432, "d", "u", null)]
    [InlineData("Host=db;Port=5433;Database=console;Username=u;Password=p;SSL Mode=Require", "db", 5433, "console", "u", "p")]
    public void Parse_UrlOrKeyValues_HostPortDatabaseUserPassword(string value, string host, int port, string database, string user, string? password)
    {
        var settings = PostgresConnectionString.Parse(value);

        Assert.Equal((host, port, database, user, password), (settings.Host, settings.Port, settings.Database, settings.Username, settings.Password));
        Assert.Equal($"{host}:{port}/{database}", PostgresConnectionString.Describe(settings));
    }

    [Fact]
    public void Parse_NoTimeouts_FiveSecondConnectFifteenSecondCommand()
    {
        var settings = PostgresConnectionString.Parse("postgres://u:p@db/console");

        Assert.Equal((5, 15, "porthole"), (settings.Timeout, settings.CommandTimeout, settings.ApplicationName));
    }

    [Theory]
    [InlineData("mysql://u:hunter2-secret@db/console")]
    [InlineData("postgres://u:hunter2-secret@db/")]
    [InlineData("postgres://u:hunter2-secret@db/console?sslmode=sometimes")]
    [InlineData("postgres://u:hunter2-secret@db/console?nonsense=1")]
    [InlineData("Host=db;Pasword=hunter2-secret;Database=x")]
    [InlineData("just-a-word-hunter2-secret")]
    public void Load_BadDatabaseUrl_ErrorNamesTheVariableNotThePassword(string value)
    {
        var result = PortholeSettingsLoader.Load([], Env(("PORTHOLE_DATABASE_URL", value), ("PORTHOLE_SESSION_SECRET", Secret)));

        Assert.Null(result.Options);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("PORTHOLE_DATABASE_URL: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PostgresWithoutSessionSecret_ErrorNamesSessionSecret()
    {
        var result = PortholeSettingsLoader.Load([], Env(("PORTHOLE_DATABASE_URL", "postgres://u:p@db/console")));

        Assert.StartsWith("PORTHOLE_SESSION_SECRET: required with a PostgreSQL", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DatabaseUrlInConfigFile_Read()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "porthole.yaml");
        File.WriteAllText(file, $"database-url: postgres://u:p@db/console\nsession-secret: {Secret}\n");

        var result = PortholeSettingsLoader.Load(["--config", file], Env());

        Assert.Equal("postgres://u:p@db/console", result.Options!.DatabaseUrl);
    }

    [Fact]
    public async Task Main_DatabaseUnreachable_ExitsNonZeroNamingHostButNotPassword()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "porthole.dll")]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["PORTHOLE_PORT"] = "0";
        start.Environment["PORTHOLE_DEMO"] = "true";
        start.Environment["PORTHOLE_DATA_DIR"] = Path.Combine(Path.GetTempPath(), $"porthole-test-{Guid.NewGuid():N}");
        start.Environment["PORTHOLE_DATABASE_URL"] = $"postgres://porthole:hunter2-secret@127.0.0.1:{port}/console?sslmode=disable";
        start.Environment["PORTHOLE_SESSION_SECRET"] = Secret;
        using var process = Process.Start(start)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        var output = await stdout + await stderr;
        Directory.Delete(start.Environment["PORTHOLE_DATA_DIR"]!, recursive: true);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains($"PORTHOLE_DATABASE_URL: cannot open the postgresql store at 127.0.0.1:{port}/console", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening on", output, StringComparison.Ordinal);
    }
}
