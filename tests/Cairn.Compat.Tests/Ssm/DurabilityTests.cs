using System.Diagnostics;
using System.Text;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Ssm;

/// <summary>What a crash may and may not do: acknowledged writes survive kill -9; no SecureString plaintext ever reaches disk.</summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("cairn-durable-").FullName;

    private static Task<ProcessResult> Boto3Against(string endpoint, string script) =>
        ClientProcess.RunAsync(ClientProcess.Python, ["-c", $$"""
            import sys, boto3
            from botocore.config import Config
            ssm = boto3.client("ssm", endpoint_url="{{endpoint}}", region_name="us-east-1", config=Config(retries={"max_attempts": 1}))

            """ + script],
            new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = CairnFixture.RootKeyId, ["AWS_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret });

    [Fact]
    public async Task Acknowledged_writes_survive_kill_9_and_no_plaintext_reaches_the_data_directory()
    {
        var acknowledged = new List<int>();
        await using (var server = await CairnProcess.StartAsync(_data))
        {
            // A writer that prints each acknowledged write; the server is killed while it is still writing.
            var writer = new ProcessStartInfo(ClientProcess.Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            writer.ArgumentList.Add("-c");
            writer.ArgumentList.Add($$"""
                import sys, boto3
                from botocore.config import Config
                ssm = boto3.client("ssm", endpoint_url="{{server.Endpoint}}", region_name="us-east-1", config=Config(retries={"max_attempts": 1}))
                for i in range(100000):
                    ssm.put_parameter(Name=f"/durable/p{i}", Value=f"TopSecretValue-{i}-zq", Type="SecureString")
                    print(i, flush=True)
                """);
            writer.Environment["AWS_ACCESS_KEY_ID"] = CairnFixture.RootKeyId;
            writer.Environment["AWS_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret;
            writer.Environment["AWS_CONFIG_FILE"] = "/dev/null";
            using var process = Process.Start(writer)!;
            while (acknowledged.Count < 40 && await process.StandardOutput.ReadLineAsync() is { } line)
            {
                acknowledged.Add(int.Parse(line, System.Globalization.CultureInfo.InvariantCulture));
            }

            await server.KillAsync();
            await process.WaitForExitAsync();
        }

        Assert.True(acknowledged.Count >= 40, "the writer stopped early");
        AssertNoPlaintext("TopSecretValue-");

        await using (var restarted = await CairnProcess.StartAsync(_data))
        {
            var check = await Boto3Against(restarted.Endpoint, $$"""
                missing = []
                for i in [{{string.Join(",", acknowledged)}}]:
                    try:
                        v = ssm.get_parameter(Name=f"/durable/p{i}", WithDecryption=True)["Parameter"]["Value"]
                        if v != f"TopSecretValue-{i}-zq": missing.append((i, v))
                    except Exception as e:
                        missing.append((i, str(e)))
                print("missing", missing)
                """);
            Assert.True(check.ExitCode == 0, check.Stderr);
            Assert.Equal("missing []", check.Stdout.Trim());
        }

        AssertNoPlaintext("TopSecretValue-");
    }

    [Fact]
    public async Task SIGTERM_stops_the_server_cleanly_and_its_data_is_there_on_the_next_start()
    {
        await using (var server = await CairnProcess.StartAsync(_data))
        {
            var put = await Boto3Against(server.Endpoint, """print(ssm.put_parameter(Name="/term/p", Value="kept", Type="SecureString")["Version"])""");
            Assert.True(put.ExitCode == 0, put.Stderr);
            Assert.Equal(0, await server.TerminateAsync());
        }

        Assert.False(File.Exists(Path.Combine(_data, "cairn.db-wal")) && new FileInfo(Path.Combine(_data, "cairn.db-wal")).Length > 0,
            "a clean shutdown checkpoints the write-ahead log");
        await using var again = await CairnProcess.StartAsync(_data);
        var get = await Boto3Against(again.Endpoint, """print(ssm.get_parameter(Name="/term/p", WithDecryption=True)["Parameter"]["Value"])""");
        Assert.Equal("kept", get.Stdout.Trim());
    }

    [Fact]
    public async Task Concurrent_writers_to_one_name_get_gap_free_versions()
    {
        await using var server = await CairnProcess.StartAsync(_data);
        var result = await Boto3Against(server.Endpoint, """
            import threading
            versions, lock = [], threading.Lock()
            ssm.put_parameter(Name="/race/p", Value="start", Type="String")
            def write(t):
                for i in range(15):
                    v = ssm.put_parameter(Name="/race/p", Value=f"{t}-{i}", Overwrite=True)["Version"]
                    with lock: versions.append(v)
            threads = [threading.Thread(target=write, args=(t,)) for t in range(8)]
            [t.start() for t in threads]; [t.join() for t in threads]
            print(sorted(versions) == list(range(2, 122)), len(versions), len(set(versions)))
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("True 120 120", result.Stdout.Trim());
    }

    private void AssertNoPlaintext(string secretPrefix)
    {
        var needle = Encoding.UTF8.GetBytes(secretPrefix);
        foreach (var file in Directory.EnumerateFiles(_data, "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{Path.GetFileName(file)} holds a SecureString in plaintext");
        }
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
