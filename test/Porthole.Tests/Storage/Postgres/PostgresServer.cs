using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Porthole.Tests.Storage.Postgres;

/// <summary>
/// A real PostgreSQL server for one test class: the machine's Debian PostgreSQL (initdb, pg_ctl,
/// postgres: on PATH, in /usr/local/bin, or /usr/lib/postgresql/N/bin), a fresh cluster in a
/// temporary directory, listening on 127.0.0.1 only on a free port, password (SCRAM) auth over
/// TCP. As root it runs as user <c>postgres</c> (runuser): PostgreSQL refuses root. Started by
/// <c>pg_ctl -w</c> and then waited on until a query answers; stopped and deleted after, also
/// when starting failed. <see cref="StopAsync"/>/<see cref="StartAsync"/> take it down and
/// back on the same port (the database-down tests).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string User = "porthole";

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private readonly string _dir = Directory.CreateTempSubdirectory("porthole-pg-").FullName;
    private readonly string _password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    private readonly bool _root = Environment.UserName == "root" || GetUid() == 0;
    private string _bin = "";
    private int _created;

    public int Port { get; private set; }

    /// <summary>The password of <see cref="User"/>; tests check it never reaches a log.</summary>
    public string Password => _password;

    private string DataDir => Path.Combine(_dir, "data");

    public async Task InitializeAsync()
    {
        try
        {
            _bin = FindBin();
            if (_root)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", _dir]);
            }

            var pwfile = Path.Combine(_dir, "pwfile");
            await File.WriteAllTextAsync(pwfile, _password + "\n");
            if (_root)
            {
                await RunAsync("chown", ["postgres:postgres", pwfile]);
            }

            await RunPostgresToolAsync("initdb", ["-D", DataDir, "-U", User, "--pwfile", pwfile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"]);
            File.Delete(pwfile);
            Port = FreePort();
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again) and waits until it answers a query.</summary>
    public async Task StartAsync()
    {
        var settings = string.Join(' ',
            "-c", "listen_addresses=127.0.0.1", "-c", $"port={Port.ToString(CultureInfo.InvariantCulture)}", "-c", $"unix_socket_directories={_dir}",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200");
        await RunPostgresToolAsync("pg_ctl", ["-D", DataDir, "-l", Path.Combine(_dir, "server.log"), "-o", settings, "-w", "-t", "120", "start"]);
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync(deadline.Token);
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteScalarAsync(deadline.Token);
                return;
            }
            catch (NpgsqlException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(50, deadline.Token); // polling a condition: the server accepting queries
            }
        }
    }

    /// <summary>Stops the server (fast shutdown: connections are terminated) and waits until it is gone.</summary>
    public Task StopAsync() => RunPostgresToolAsync("pg_ctl", ["-D", DataDir, "-m", "fast", "-w", "-t", "120", "stop"]);

    /// <summary>A new empty database; its postgres:// URL (with the password).</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Interlocked.Increment(ref _created)}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return Url(name);
    }

    public string Url(string database) => $"postgres://{User}:{_password}@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{database}?sslmode=disable&connect_timeout=30";

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Password = _password,
        Database = database,
        SslMode = SslMode.Disable,
        Pooling = false,
        Timeout = 5,
    }.ConnectionString;

    public async Task DisposeAsync()
    {
        if (_bin.Length > 0 && File.Exists(Path.Combine(DataDir, "postmaster.pid")))
        {
            try
            {
                await RunPostgresToolAsync("pg_ctl", ["-D", DataDir, "-m", "immediate", "-w", "-t", "60", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // Already stopped.
            }
        }

        Directory.Delete(_dir, recursive: true);
    }

    private Task RunPostgresToolAsync(string tool, IReadOnlyList<string> args) =>
        _root ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args]) : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await output}{await error}");
        }
    }

    /// <summary>initdb's directory: PORTHOLE_PG_BIN, PATH, then Debian's /usr/lib/postgresql/N/bin (newest).</summary>
    private static string FindBin()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("PORTHOLE_PG_BIN") is { Length: > 0 } explicitBin)
        {
            candidates.Add(explicitBin);
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).Select(d => Path.Combine(d, "bin")));
        }

        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin): ./test.sh installs Debian's postgresql package");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static uint GetUid()
    {
        try
        {
            return uint.Parse(File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException)
        {
            return uint.MaxValue;
        }
    }
}
