using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;
using Cairn.Storage.Tests.Postgres;
using Npgsql;

namespace Cairn.Compat.Tests.Serve;

/// <summary>
/// `cairn serve --database` on a real PostgreSQL (the storage tests' throwaway cluster): the aws CLI's SSM and CodeBuild
/// round trip, no SecureString in plaintext in any table, a second server on the same database (which reads and follows
/// the log of a build the first runs), `cairn audit --database` listing a server's calls, and the one line a bad
/// connection string, a refused login or an unreachable server gets. Needs PostgreSQL's server binaries
/// (scripts/install-test-deps.sh); without them these tests fail, naming what to install.
/// </summary>
public sealed class PostgresServeTests : IDisposable
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private const string Secret = "pg-plaintext-must-not-appear-7f3a9c";

    private readonly string _first = Directory.CreateTempSubdirectory("cairn-pg-serve-a-").FullName;
    private readonly string _second = Directory.CreateTempSubdirectory("cairn-pg-serve-b-").FullName;

    private static Task<ProcessResult> Aws(CairnProcess server, params string[] arguments) =>
        ClientProcess.RunAsync(ClientProcess.AwsCli, ["--endpoint-url", server.Endpoint, "--region", "us-east-1", "--output", "json", .. arguments],
            new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = CairnFixture.RootKeyId, ["AWS_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret });

    private static PostgresCluster Cluster()
    {
        Assert.True(PostgresCluster.MissingReason is null, PostgresCluster.MissingReason);
        return PostgresCluster.Shared;
    }

    [Fact]
    public async Task Two_servers_on_one_database_share_parameters_and_builds_and_no_secure_string_is_stored_in_plaintext()
    {
        await using var database = await Cluster().CreateDatabaseAsync();
        // The server keeps a pool, as a user's would; the database is dropped WITH (FORCE) at the end.
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = true }.ConnectionString;

        await using var first = await CairnProcess.StartAsync(_first, null, "--database", connectionString, "--host-build-isolation", "none");
        for (var waited = 0; waited < 50 && !first.Output.Contains("state in PostgreSQL", StringComparison.Ordinal); waited++)
        {
            await Task.Delay(100);
        }

        Assert.Contains($"state in PostgreSQL 127.0.0.1:{new NpgsqlConnectionStringBuilder(connectionString).Port}/{database.Name} as cairn", first.Output, StringComparison.Ordinal);
        (await Aws(first, "ssm", "put-parameter", "--name", "/app/db-password", "--type", "SecureString", "--value", Secret)).Ok();
        Assert.Equal(Secret, (await Aws(first, "ssm", "get-parameter", "--name", "/app/db-password", "--with-decryption")).Ok()["Parameter"]!["Value"]!.GetValue<string>());

        (await Aws(first, "iam", "create-role", "--role-name", "pg-build", "--assume-role-policy-document", Trust)).Ok();
        (await Aws(first, "codebuild", "create-project", "--name", "pg-app",
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo built on postgres\n" }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS", "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL",
            "--service-role", "arn:aws:iam::000000000000:role/pg-build")).Ok();
        var id = (await Aws(first, "codebuild", "start-build", "--project-name", "pg-app")).Ok()["build"]!["id"]!.GetValue<string>();
        JsonNode build;
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            while (!(build = (await Aws(first, "codebuild", "batch-get-builds", "--ids", id)).Ok()["builds"]![0]!)["buildComplete"]!.GetValue<bool>())
            {
                Assert.False(deadline.IsCancellationRequested, "the build never completed:\n" + first.Output);
                await Task.Delay(200);
            }
        }

        Assert.True(build["buildStatus"]!.GetValue<string>() == "SUCCEEDED", build.ToJsonString() + "\n" + first.Output);

        // Every row of every Cairn table, as text: the SecureString is there only as ciphertext.
        var everything = await DumpAsync(database.ConnectionString);
        Assert.Contains("/app/db-password", everything, StringComparison.Ordinal);
        Assert.Contains(id.Split(':')[1], everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, everything, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_first, "cairn.db")), "no SQLite database when the state is in PostgreSQL");

        // A build the first server runs while the second starts (so the second cannot claim it), waiting for the test's files.
        var followed = await StartWaitingBuildAsync(first);

        // A second server: its own data directory with the same master key, the database from CAIRN_DATABASE.
        File.Copy(Path.Combine(_first, "master.key"), Path.Combine(_second, "master.key"));
        File.SetUnixFileMode(Path.Combine(_second, "master.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var second = await CairnProcess.StartAsync(_second, new Dictionary<string, string> { ["CAIRN_DATABASE"] = connectionString });
        await FollowThroughAsync(second, first, followed);
        Assert.Equal(Secret, (await Aws(second, "ssm", "get-parameter", "--name", "/app/db-password", "--with-decryption")).Ok()["Parameter"]!["Value"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", (await Aws(second, "codebuild", "batch-get-builds", "--ids", id)).Ok()["builds"]![0]!["buildStatus"]!.GetValue<string>());

        // And the first sees the second's writes: a new version, and a role created through the second (IAM's cache).
        (await Aws(second, "ssm", "put-parameter", "--name", "/app/db-password", "--type", "SecureString", "--value", Secret + "-v2", "--overwrite")).Ok();
        (await Aws(second, "iam", "create-role", "--role-name", "made-on-second", "--assume-role-policy-document", Trust)).Ok();
        var seen = (await Aws(first, "ssm", "get-parameter", "--name", "/app/db-password", "--with-decryption")).Ok()["Parameter"]!;
        Assert.Equal(Secret + "-v2", seen["Value"]!.GetValue<string>());
        Assert.Equal(2, seen["Version"]!.GetValue<int>());
        (await Aws(first, "iam", "get-role", "--role-name", "made-on-second")).Ok();
    }

    [Fact]
    public async Task Cairn_audit_with_database_lists_what_servers_on_postgres_audited_and_creates_nothing_in_a_database_no_server_used()
    {
        await using var database = await Cluster().CreateDatabaseAsync();
        var connectionString = database.ConnectionString;

        // A database no server has used: one line, exit 2, and no schema made in it.
        var unused = await RunCairnAsync("audit", "--database", connectionString);
        var refusal = Assert.Single((unused.Stdout + unused.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, unused.ExitCode);
        Assert.StartsWith($"cairn audit: The PostgreSQL database 127.0.0.1:{new NpgsqlConnectionStringBuilder(connectionString).Port}/{database.Name} as cairn has no Cairn audit schema",
            refusal, StringComparison.Ordinal);
        Assert.Empty(await CairnSchemasAsync(connectionString));

        await using var server = await CairnProcess.StartAsync(_first, null, "--database", connectionString);
        (await Aws(server, "ssm", "put-parameter", "--name", "/audited/pg", "--type", "String", "--value", "v1")).Ok();
        (await Aws(server, "ssm", "get-parameter", "--name", "/audited/pg")).Ok();
        (await Aws(server, "ssm", "get-parameter", "--name", "/audited/missing")).Fails("ParameterNotFound");

        // The server writes its audit log in batches: read until the three calls are there (or the deadline says why not).
        List<(string Action, string? Resource, string? Error, string Principal)> entries;
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (true)
            {
                var listed = await RunCairnAsync("audit", "--database", connectionString, "--action", "ssm:", "--format", "json");
                Assert.True(listed.ExitCode == 0, listed.Stdout + listed.Stderr);
                entries = listed.Json.AsArray().Select(e => (e!["action"]!.GetValue<string>(), e["resource"]?.GetValue<string>(),
                    e["errorCode"]?.GetValue<string>(), e["principalArn"]!.GetValue<string>())).ToList();
                if (entries.Count >= 3 || deadline.IsCancellationRequested)
                {
                    break;
                }

                await Task.Delay(200);
            }
        }

        Assert.Equal(
        [
            ("ssm:GetParameter", "arn:aws:ssm:us-east-1:000000000000:parameter/audited/missing", "ParameterNotFound", "arn:aws:iam::000000000000:root"),
            ("ssm:GetParameter", "arn:aws:ssm:us-east-1:000000000000:parameter/audited/pg", null, "arn:aws:iam::000000000000:root"),
            ("ssm:PutParameter", "arn:aws:ssm:us-east-1:000000000000:parameter/audited/pg", null, "arn:aws:iam::000000000000:root"),
        ], entries);

        // CAIRN_DATABASE as `cairn serve` takes it (a data directory without a cairn.db is not read), the text form and
        // the filters: only the newest read, the failed one.
        var text = await RunCairnWithAsync(new Dictionary<string, string> { ["CAIRN_DATABASE"] = connectionString },
            "audit", "--data", _second, "--action", "ssm:GetParameter", "--limit", "1");
        Assert.True(text.ExitCode == 0, text.Stdout + text.Stderr);
        var line = Assert.Single(text.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("  Allow  arn:aws:iam::000000000000:root  ssm:GetParameter  arn:aws:ssm:us-east-1:000000000000:parameter/audited/missing  ParameterNotFound  ",
            line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_second));
    }

    [Fact]
    public async Task A_refused_login_an_unreachable_server_or_a_malformed_connection_string_is_one_line_naming_the_host_never_the_password_and_exit_2()
    {
        await using var database = await Cluster().CreateDatabaseAsync();
        var wrongPassword = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Password = "wrong-password-5e1d" }.ConnectionString;
        var unreachable = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = CairnProcess.FreePort(), Password = "unreachable-password-9b2c", Timeout = 5 }
            .ConnectionString;

        foreach (var (connectionString, password) in new[] { (wrongPassword, "wrong-password-5e1d"), (unreachable, "unreachable-password-9b2c") })
        {
            var port = CairnProcess.FreePort();
            var result = await RunCairnAsync("serve", "--data", _first, "--port", port.ToString(CultureInfo.InvariantCulture), "--database", connectionString);
            var lines = (result.Stdout + result.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(result.ExitCode == 2 && lines.Length == 1, result.Stdout + result.Stderr);
            Assert.StartsWith("cairn serve: Could not open the PostgreSQL database 127.0.0.1:", lines[0], StringComparison.Ordinal);
            Assert.DoesNotContain(password, lines[0], StringComparison.Ordinal);
            Assert.False(IsListening(port), "nothing may be left listening");

            // `cairn audit --database` says the same, as itself.
            var audit = await RunCairnAsync("audit", "--database", connectionString);
            var auditLine = Assert.Single((audit.Stdout + audit.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal(2, audit.ExitCode);
            Assert.StartsWith("cairn audit: Could not open the PostgreSQL database 127.0.0.1:", auditLine, StringComparison.Ordinal);
            Assert.DoesNotContain(password, auditLine, StringComparison.Ordinal);
        }

        var malformed = await RunCairnAsync("serve", "--data", _first, "--port", CairnProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            "--database", "Hots=db1;Password=malformed-password-3c4d");
        Assert.Equal(2, malformed.ExitCode);
        var line = Assert.Single((malformed.Stdout + malformed.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cairn serve: The PostgreSQL connection string is not valid", line, StringComparison.Ordinal);
        Assert.DoesNotContain("malformed-password-3c4d", line, StringComparison.Ordinal);

        var malformedAudit = await RunCairnAsync("audit", "--database", "Hots=db1;Password=malformed-password-3c4d");
        Assert.Equal(2, malformedAudit.ExitCode);
        var malformedLine = Assert.Single((malformedAudit.Stdout + malformedAudit.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cairn audit: The PostgreSQL connection string is not valid", malformedLine, StringComparison.Ordinal);
        Assert.DoesNotContain("malformed-password-3c4d", malformedLine, StringComparison.Ordinal);
    }

    private static async Task<List<string>> CairnSchemasAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var list = new NpgsqlCommand("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'cairn%'", connection);
        await using var reader = await list.ExecuteReaderAsync();
        var schemas = new List<string>();
        while (await reader.ReadAsync())
        {
            schemas.Add(reader.GetString(0));
        }

        return schemas;
    }

    private static async Task<string> DumpAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables WHERE table_schema LIKE 'cairn%' AND table_type = 'BASE TABLE'",
            connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("cairn_parameters.parameters", tables);
        var text = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
            await using var rows = await select.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                text.AppendLine(rows.GetString(0));
            }
        }

        return text.ToString();
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts a build on <paramref name="server"/> that prints "first-2", waits for the file "go", prints "after-go-4" and
    /// waits for "end" (the build's commands print themselves, so the lines are computed: only the output matches), and
    /// returns once its first line is in the log.
    /// </summary>
    private async Task<(string Id, string Signals)> StartWaitingBuildAsync(CairnProcess server)
    {
        var signals = Path.Combine(_first, "signals");
        Directory.CreateDirectory(signals);
        (await Aws(server, "codebuild", "create-project", "--name", "pg-follow",
            "--source", new JsonObject
            {
                ["type"] = "NO_SOURCE",
                ["buildspec"] = $"version: 0.2\nphases:\n  build:\n    commands:\n      - echo first-$((1+1))\n      - while [ ! -f {signals}/go ]; do sleep 0.1; done\n"
                    + $"      - echo after-go-$((2+2))\n      - while [ ! -f {signals}/end ]; do sleep 0.1; done\n",
            }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS", "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL",
            "--service-role", "arn:aws:iam::000000000000:role/pg-build")).Ok();
        var id = (await Aws(server, "codebuild", "start-build", "--project-name", "pg-follow")).Ok()["build"]!["id"]!.GetValue<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!(await LogOfAsync(server, id)).Contains("first-2\n", StringComparison.Ordinal))
        {
            Assert.False(deadline.IsCancellationRequested, "the waiting build never printed its first line:\n" + server.Output);
            await Task.Delay(200);
        }

        return (id, signals);
    }

    /// <summary>
    /// Follows the build <paramref name="runner"/> runs through <paramref name="reader"/> (`cairn logs --follow`): the line
    /// it prints after "go" reaches the follower while the build still runs, and get-log-events on the reader has every line.
    /// </summary>
    private static async Task FollowThroughAsync(CairnProcess reader, CairnProcess runner, (string Id, string Signals) build)
    {
        using var follower = Process.Start(CairnStart("logs", "--follow", build.Id, "--endpoint-url", reader.Endpoint))!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await ReadUntilAsync(follower, "first-2", timeout.Token);
        await File.WriteAllTextAsync(Path.Combine(build.Signals, "go"), "", timeout.Token);
        var clock = Stopwatch.StartNew();
        await ReadUntilAsync(follower, "after-go-4", timeout.Token);
        var seenAfter = clock.Elapsed;
        Assert.False((await Aws(runner, "codebuild", "batch-get-builds", "--ids", build.Id)).Ok()["builds"]![0]!["buildComplete"]!.GetValue<bool>());
        Assert.True(seenAfter < TimeSpan.FromSeconds(5), $"the follower on the other server saw the line {seenAfter.TotalMilliseconds:F0} ms after it was written");

        await File.WriteAllTextAsync(Path.Combine(build.Signals, "end"), "", timeout.Token);
        await follower.WaitForExitAsync(timeout.Token);
        Assert.True(follower.ExitCode == 0, await follower.StandardError.ReadToEndAsync(timeout.Token));
        var log = await LogOfAsync(reader, build.Id);
        Assert.Contains("first-2\n", log, StringComparison.Ordinal);
        Assert.Contains("after-go-4\n", log, StringComparison.Ordinal);
    }

    private static async Task ReadUntilAsync(Process process, string line, CancellationToken cancellationToken)
    {
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } read)
        {
            if (read.TrimEnd() == line || read.EndsWith(" " + line, StringComparison.Ordinal))
            {
                return;
            }
        }

        Assert.Fail($"`cairn logs --follow` ended before printing {line}: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
    }

    /// <summary>The build's whole log as get-log-events returns it through <paramref name="server"/>, one message after another.</summary>
    private static async Task<string> LogOfAsync(CairnProcess server, string id)
    {
        var events = (await Aws(server, "logs", "get-log-events", "--log-group-name", "/aws/codebuild/" + id.Split(':')[0],
            "--log-stream-name", id.Split(':')[1], "--start-from-head")).Ok()["events"]!.AsArray();
        return string.Concat(events.Select(e => e!["message"]!.GetValue<string>()));
    }

    private static ProcessStartInfo CairnStart(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "cairn")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CAIRN_ROOT_ACCESS_KEY_ID"] = CairnFixture.RootKeyId;
        start.Environment["CAIRN_ROOT_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret;
        start.Environment["AWS_ACCESS_KEY_ID"] = CairnFixture.RootKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret;
        return start;
    }

    private static Task<ProcessResult> RunCairnAsync(params string[] arguments) => RunCairnWithAsync(new Dictionary<string, string>(), arguments);

    private static async Task<ProcessResult> RunCairnWithAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = CairnStart(arguments);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    public void Dispose()
    {
        Directory.Delete(_first, recursive: true);
        Directory.Delete(_second, recursive: true);
    }
}
