using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Cairn.Compat.Tests.Infrastructure;
using Cairn.Storage.Tests.Postgres;
using Npgsql;

namespace Cairn.Compat.Tests.Serve;

/// <summary>
/// PostgreSQL failover under `cairn serve --database` with two hosts, as docs/operations.md tells a team to run it: a
/// durable primary, a streaming replica made with pg_basebackup and named in synchronous_standby_names, the primary
/// crashed (pg_ctl stop -m immediate) while clients write, the replica promoted. Npgsql's multi-host connection string
/// (Target Session Attributes=primary) finds the new primary by itself; every write the server acknowledged is there,
/// a build started before the failover is there and finishes, and the requests that met the outage were answered 503
/// ServiceUnavailable (retried by SDKs), never 500.
/// </summary>
public sealed class PostgresFailoverTests : IDisposable
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private const int Writers = 4;

    private readonly string _data = Directory.CreateTempSubdirectory("cairn-pg-failover-").FullName;

    [Fact]
    public async Task A_promoted_synchronous_replica_holds_every_acknowledged_write_and_build_and_the_server_moves_to_it()
    {
        Assert.True(PostgresCluster.MissingReason is null, PostgresCluster.MissingReason);
        var primary = PostgresCluster.StartPrimary();
        var replica = primary.StartReplica("cairn_standby");
        await primary.ExecuteAsync("ALTER SYSTEM SET synchronous_standby_names = 'cairn_standby'");
        await primary.ExecuteAsync("SELECT pg_reload_conf()");
        await WaitForSynchronousStandbyAsync(primary);
        await primary.ExecuteAsync("CREATE DATABASE cairn");

        var single = new NpgsqlConnectionStringBuilder(primary.ConnectionString("cairn"));
        var both = new NpgsqlConnectionStringBuilder(single.ConnectionString)
        {
            Host = $"127.0.0.1:{primary.Port.ToString(CultureInfo.InvariantCulture)},127.0.0.1:{replica.Port.ToString(CultureInfo.InvariantCulture)}",
            Pooling = true,
            Timeout = 3,
            TargetSessionAttributes = "primary",
            HostRecheckSeconds = 1,
        };
        both.Remove("Port");
        await using var server = await CairnProcess.StartAsync(_data, null, "--database", both.ConnectionString, "--host-build-isolation", "none");

        // A build in flight across the failover: it sleeps through it and writes its phases and end afterwards.
        (await Aws(server, "iam", "create-role", "--role-name", "failover-build", "--assume-role-policy-document", Trust)).Ok();
        (await Aws(server, "codebuild", "create-project", "--name", "failover-app",
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = "version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 6\n      - echo survived the failover\n" }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS", "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL",
            "--service-role", "arn:aws:iam::000000000000:role/failover-build")).Ok();
        var buildId = (await Aws(server, "codebuild", "start-build", "--project-name", "failover-app")).Ok()["build"]!["id"]!.GetValue<string>();

        // Writers: each overwrites its own parameter; every answer is kept (acknowledged version and value, or the error).
        using var ssm = new AmazonSimpleSystemsManagementClient(new BasicAWSCredentials(CairnFixture.RootKeyId, CairnFixture.RootSecret),
            new AmazonSimpleSystemsManagementConfig { ServiceURL = server.Endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0, Timeout = TimeSpan.FromSeconds(20) });
        var acknowledged = new ConcurrentBag<(string Name, long Version, string Value)>();
        var refused = new ConcurrentBag<string>();
        var afterPromotion = 0;
        var promoted = false;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var name = $"/failover/w-{writer.ToString(CultureInfo.InvariantCulture)}";
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var value = $"value-{writer.ToString(CultureInfo.InvariantCulture)}-{i.ToString(CultureInfo.InvariantCulture)}";
                try
                {
                    var put = await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = value, Type = ParameterType.String, Overwrite = true });
                    acknowledged.Add((name, put.Version ?? 0, value));
                    if (Volatile.Read(ref promoted) && Interlocked.Increment(ref afterPromotion) >= 40)
                    {
                        await stop.CancelAsync();
                    }
                }
                catch (AmazonServiceException error)
                {
                    refused.Add($"{(int)error.StatusCode} {error.ErrorCode}: {error.Message}");
                    await Task.Delay(100);
                }
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = acknowledged.Count;
        primary.Crash();
        await Task.Delay(TimeSpan.FromSeconds(1));
        replica.Promote();
        Volatile.Write(ref promoted, true);
        await Task.WhenAll(writers);

        Assert.True(before > 0, "no write was acknowledged before the failover:\n" + server.Output);
        Assert.True(afterPromotion >= 40, $"the server did not write to the promoted replica within 90 s ({afterPromotion} writes); refusals:\n"
            + string.Join('\n', refused.Take(10)) + "\n" + server.Output);
        Assert.All(refused, answer => Assert.StartsWith("503 ServiceUnavailable: Cairn could not reach its database", answer, StringComparison.Ordinal));

        // Every acknowledged write is in the promoted replica: each (version, value) in the parameter's history.
        foreach (var group in acknowledged.GroupBy(write => write.Name))
        {
            var history = new Dictionary<long, string>();
            string? next = null;
            do
            {
                var page = await ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = group.Key, NextToken = next, MaxResults = 50 });
                foreach (var version in page.Parameters)
                {
                    history[version.Version ?? 0] = version.Value;
                }

                next = page.NextToken;
            }
            while (next is not null);

            // History keeps the last 100 versions: the older acknowledged ones are checked through the newest's number.
            var newest = group.Max(write => write.Version);
            foreach (var write in group.Where(write => write.Version > newest - 100))
            {
                Assert.True(history.TryGetValue(write.Version, out var stored) && stored == write.Value,
                    $"{group.Key} version {write.Version} was acknowledged with {write.Value} but the promoted replica has {(stored ?? "nothing")}");
            }
        }

        // The build started before the failover is there and finishes on the new primary.
        JsonNode build;
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            while (!(build = (await Aws(server, "codebuild", "batch-get-builds", "--ids", buildId)).Ok()["builds"]![0]!)["buildComplete"]!.GetValue<bool>())
            {
                Assert.False(deadline.IsCancellationRequested, "the build never completed:\n" + server.Output);
                await Task.Delay(300);
            }
        }

        Assert.True(build["buildStatus"]!.GetValue<string>() == "SUCCEEDED", build.ToJsonString() + "\n" + server.Output);
        replica.Crash();
    }

    private static async Task WaitForSynchronousStandbyAsync(PostgresCluster primary)
    {
        await using var connection = new NpgsqlConnection(primary.ConnectionString("postgres"));
        await connection.OpenAsync();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            await using var query = new NpgsqlCommand("SELECT sync_state FROM pg_stat_replication WHERE application_name = 'cairn_standby'", connection);
            if (await query.ExecuteScalarAsync() is "sync")
            {
                return;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "the replica never became the synchronous standby");
            await Task.Delay(200);
        }
    }

    private static Task<ProcessResult> Aws(CairnProcess server, params string[] arguments) =>
        ClientProcess.RunAsync(ClientProcess.AwsCli, ["--endpoint-url", server.Endpoint, "--region", "us-east-1", "--output", "json", .. arguments],
            new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = CairnFixture.RootKeyId, ["AWS_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret });

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
