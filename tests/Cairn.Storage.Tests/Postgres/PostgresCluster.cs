using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Cairn.Storage.Tests.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster for the whole test run: initdb into a temp directory, started on 127.0.0.1 on a free
/// port (unix socket in the same directory, fsync off), stopped and deleted when the test process exits. Each test gets
/// its own database (<see cref="CreateDatabaseAsync"/>), so test classes run in parallel. Run as root, initdb and the
/// server run as the postgres user (PostgreSQL refuses root).
/// </summary>
public sealed class PostgresCluster
{
    private const string SuperUser = "cairn";
    private static readonly Lazy<PostgresCluster> s_shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string?> s_binaries = new(FindBinaries);

    private readonly string _directory;
    private readonly string _binaries;
    private readonly string? _runAs;
    private readonly string _adminConnectionString;
    private int _stopped;

    private PostgresCluster(string directory, string binaries, string? runAs, int port, string password)
    {
        _directory = directory;
        _binaries = binaries;
        _runAs = runAs;
        Port = port;
        Password = password;
        _adminConnectionString = ConnectionString("postgres");
    }

    /// <summary>Why the PostgreSQL tests cannot run here (no initdb/pg_ctl found), or null when they can.</summary>
    public static string? MissingReason => s_binaries.Value is null
        ? "PostgreSQL server binaries (initdb, pg_ctl) not found in $CAIRN_PG_BIN, on PATH or in /usr/lib/postgresql/*/bin: "
          + "run scripts/install-test-deps.sh (apt-get install postgresql) to run the PostgreSQL storage tests."
        : null;

    /// <summary>The run's cluster, started on first use.</summary>
    public static PostgresCluster Shared => s_shared.Value;

    public int Port { get; }

    private string Password { get; }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = SuperUser,
        Password = Password,
        // Each test's database is dropped at its end: pooled connections to it would block DROP DATABASE.
        Pooling = database == "postgres",
    }.ConnectionString;

    /// <summary>A new empty database; its connection string.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync()
    {
        var name = "cairn_test_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name} STRATEGY FILE_COPY", connection);
        await create.ExecuteNonQueryAsync();
        return new TestDatabase(this, name, ConnectionString(name));
    }

    internal async Task DropDatabaseAsync(string name)
    {
        if (Volatile.Read(ref _stopped) != 0)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static PostgresCluster Start() => StartCluster(durable: false);

    /// <summary>
    /// A cluster of the test's own (not the run's shared one) set up as a primary for a failover test: fsync and
    /// synchronous commit on, WAL for a streaming replica, and stopped when the test process exits.
    /// </summary>
    public static PostgresCluster StartPrimary() => StartCluster(durable: true);

    private static PostgresCluster StartCluster(bool durable)
    {
        var binaries = s_binaries.Value ?? throw new InvalidOperationException(MissingReason);
        RemoveStoppedClusters();
        var runAs = IsRoot() ? "postgres" : null;
        var directory = Directory.CreateTempSubdirectory("cairn-pg-").FullName;
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var passwordFile = Path.Combine(directory, "password");
        File.WriteAllText(passwordFile, password);
        if (runAs is not null)
        {
            Run("chown", ["-R", runAs, directory], runAs: null);
        }

        Run(Path.Combine(binaries, "initdb"),
            ["-D", Path.Combine(directory, "data"), "-U", SuperUser, "--pwfile", passwordFile, "--auth-host=scram-sha-256",
             "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], runAs);
        File.Delete(passwordFile);
        string[] settings = durable
            ? ["-c wal_level=replica", "-c max_wal_senders=5", "-c wal_keep_size=256MB", "-c hot_standby=on"]
            : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"];
        return StartServer(directory, binaries, runAs, password, settings);
    }

    /// <summary>
    /// A streaming replica of this cluster, made as an operator would: pg_basebackup -R into a new directory, its
    /// application_name set to <paramref name="name"/> (for synchronous_standby_names), started on its own port.
    /// </summary>
    public PostgresCluster StartReplica(string name)
    {
        var directory = Directory.CreateTempSubdirectory("cairn-pg-").FullName;
        var passwordFile = Path.Combine(directory, "pgpass");
        File.WriteAllText(passwordFile, $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}:*:{SuperUser}:{Password}\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (_runAs is not null)
        {
            Run("chown", ["-R", _runAs, directory], runAs: null);
        }

        var data = Path.Combine(directory, "data");
        Run("env", [$"PGPASSFILE={passwordFile}", ClientTool("pg_basebackup"), "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-U", SuperUser, "-D", data, "-R", "-X", "stream", "-c", "fast", "--no-sync",
            "-d", $"application_name={name}"], _runAs);
        return StartServer(directory, _binaries, _runAs, Password, ["-c hot_standby=on"]);
    }

    /// <summary>
    /// A client program of the same PostgreSQL as initdb: beside initdb's real file (PATH may hold only links to
    /// initdb and pg_ctl, as /usr/local/bin does on some machines).
    /// </summary>
    private string ClientTool(string name)
    {
        var initdb = new FileInfo(Path.Combine(_binaries, "initdb"));
        var directory = (initdb.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? initdb).DirectoryName ?? _binaries;
        return Path.Combine(directory, name);
    }

    /// <summary>Runs one statement as the superuser (ALTER SYSTEM, pg_reload_conf(), ...).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stops the server at once, as a crash would (pg_ctl stop -m immediate); its directory stays until exit.</summary>
    public void Crash() =>
        Run(Path.Combine(_binaries, "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"], _runAs);

    /// <summary>Promotes a replica to primary (pg_ctl promote, waiting until it accepts writes).</summary>
    public void Promote() =>
        Run(Path.Combine(_binaries, "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-w", "-t", "60", "promote"], _runAs);

    private static PostgresCluster StartServer(string directory, string binaries, string? runAs, string password, IReadOnlyList<string> settings)
    {
        // A free port can be taken between the probe and the start: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var options = string.Join(' ',
                new[] { "-c listen_addresses=127.0.0.1", $"-p {port.ToString(CultureInfo.InvariantCulture)}", $"-k {directory}", "-c max_connections=200" }
                    .Concat(settings));
            var started = Run(Path.Combine(binaries, "pg_ctl"),
                ["-D", Path.Combine(directory, "data"), "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "-o", options, "start"],
                runAs, throwOnFailure: attempt == 3);
            if (started)
            {
                var cluster = new PostgresCluster(directory, binaries, runAs, port, password);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
                return cluster;
            }
        }
    }

    /// <summary>
    /// Stops the server and deletes its directory from a detached shell (setsid): the test host may be ended moments after
    /// ProcessExit, and the stop and the removal finish without it.
    /// </summary>
    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        var stop = new ProcessStartInfo("setsid") { UseShellExecute = false };
        var script = (_runAs is null ? string.Empty : $"runuser -u {_runAs} -- ") + "\"$1\" -D \"$2\" -m immediate -w stop >/dev/null 2>&1; rm -rf \"$3\"";
        foreach (var argument in new[] { "sh", "-c", script, "sh", Path.Combine(_binaries, "pg_ctl"), Path.Combine(_directory, "data"), _directory })
        {
            stop.ArgumentList.Add(argument);
        }

        using var process = Process.Start(stop);
        process?.WaitForExit(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// The test host may be ended right after the server stops, before its directory is deleted: earlier runs' stopped
    /// clusters (no postmaster.pid) are deleted here.
    /// </summary>
    private static void RemoveStoppedClusters()
    {
        foreach (var stale in Directory.GetDirectories(Path.GetTempPath(), "cairn-pg-*"))
        {
            try
            {
                // Old enough not to be another run's cluster between initdb and start.
                if (Directory.Exists(Path.Combine(stale, "data")) && !File.Exists(Path.Combine(stale, "data", "postmaster.pid"))
                    && Directory.GetLastWriteTimeUtc(stale) < DateTime.UtcNow.AddMinutes(-10))
                {
                    Directory.Delete(stale, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's, or in use: not ours to remove.
            }
        }
    }

    private static bool IsRoot()
    {
        try
        {
            return File.ReadAllLines("/proc/self/status").Any(line => line.StartsWith("Uid:", StringComparison.Ordinal)
                && line.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == "0");
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string? FindBinaries()
    {
        // CAIRN_PG_BIN names the directory to use (and only it): another major version, or a missing one to see the skip.
        if (Environment.GetEnvironmentVariable("CAIRN_PG_BIN") is { Length: > 0 } chosen)
        {
            return File.Exists(Path.Combine(chosen, "initdb")) && File.Exists(Path.Combine(chosen, "pg_ctl")) ? chosen : null;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
        if (onPath is not null)
        {
            return onPath;
        }

        // Debian keeps the server binaries off PATH: /usr/lib/postgresql/<major>/bin; the newest wins.
        const string Debian = "/usr/lib/postgresql";
        return Directory.Exists(Debian)
            ? Directory.GetDirectories(Debian)
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), CultureInfo.InvariantCulture, out var major) ? major : 0)
                .FirstOrDefault()
            : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool Run(string program, IReadOnlyList<string> arguments, string? runAs, bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo(runAs is null ? program : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (runAs is not null)
        {
            foreach (var argument in new[] { "-u", runAs, "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode == 0)
        {
            return true;
        }

        return throwOnFailure
            ? throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}{output.Result}")
            : false;
    }
}
