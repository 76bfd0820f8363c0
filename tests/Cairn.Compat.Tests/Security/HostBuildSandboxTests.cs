using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Security;

/// <summary>
/// A host build (LINUX_EC2) tries every read an attacker's buildspec would: the server's master key, root credentials
/// and database by relative and absolute path, the server's environment through /proc, other builds, a root-only file,
/// and a host directory as its source. Every one fails, while the build's own work still succeeds.
/// </summary>
public sealed class HostBuildSandboxTests(CairnFixture cairn) : IClassFixture<CairnFixture>, IDisposable
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    // Outside the temporary directory the tests' servers may build from, and outside the sandbox's private /tmp.
    private readonly string _hostSecrets = Directory.CreateDirectory($"/srv/cairn-sandbox-test-{Guid.NewGuid():N}").FullName;

    public void Dispose() => Directory.Delete(_hostSecrets, recursive: true);

    private async Task<string> RunAsync(string project, string commands, JsonObject? overrides = null)
    {
        var role = $"arn:aws:iam::{cairn.Server.Options.AccountId}:role/sandbox-{project}";
        (await cairn.Aws("iam", "create-role", "--role-name", $"sandbox-{project}", "--assume-role-policy-document", Trust)).Ok();
        var buildspec = "version: 0.2\nphases:\n  build:\n    commands:\n" + string.Concat(commands.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(c => $"      - {c}\n"));
        (await cairn.Aws("codebuild", "create-project", "--name", project,
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = buildspec }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS", "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL",
            "--service-role", role)).Ok();
        // Through --cli-input-json: the aws CLI would read a file:// argument as a file to load.
        var input = overrides ?? [];
        input["projectName"] = project;
        var id = (await cairn.Aws("codebuild", "start-build", "--cli-input-json", input.ToJsonString())).Ok()["build"]!["id"]!.GetValue<string>();
        await cairn.WaitForBuildAsync(id);

        var events = (await cairn.Aws("logs", "get-log-events", "--log-group-name", "/aws/codebuild/" + project, "--log-stream-name", id[(id.LastIndexOf(':') + 1)..])).Ok();
        return string.Join('\n', events["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_host_build_cannot_read_the_servers_keys_database_environment_or_other_builds_but_does_its_own_work()
    {
        var data = cairn.DataDirectory;
        var rootOnly = Path.Combine(_hostSecrets, "root-only");
        await File.WriteAllTextAsync(rootOnly, "RootOnlySecret77");
        File.SetUnixFileMode(rootOnly, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var serverPid = Environment.ProcessId;
        // World-readable, so only hiding the data directory keeps it from the build.
        await File.WriteAllTextAsync(Path.Combine(data, "canary"), "DataDirectoryCanary");
        File.SetUnixFileMode(Path.Combine(data, "canary"), UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var database = Directory.GetFiles(data, "*.db").First();
        await RunAsync("sandbox-neighbour", "echo another build, whose directory must stay out of sight");
        var attempts = new Dictionary<string, string>
        {
            ["master-relative"] = "cat ../../../master.key",
            ["master-absolute"] = $"cat {data}/master.key",
            ["canary"] = $"cat {data}/canary",
            ["database"] = $"head -c 64 {database}",
            ["server-environ"] = $"tr '\\0' '\\n' < /proc/{serverPid}/environ",
            // Only its own directory and its own project's cache are there.
            ["other-builds"] = $"ls -A {data}/builds/ | grep -v -e \"${{CODEBUILD_BUILD_ID#*:}}\" -e '^_cache$' | grep .",
            ["other-caches"] = $"ls -A {data}/builds/_cache/*/*/ | grep -v '^sandboxed$' | grep .",
            ["root-only"] = $"cat {rootOnly}",
            ["shadow"] = "head -1 /etc/shadow",
        };
        // printf joins the word, so only a read that worked prints LEAKED- (the log also shows each command's text).
        var commands = string.Join('\n', attempts.Select(a => $"if {a.Value}; then printf 'LEAK%sED-%s\\n' '' {a.Key}; fi"))
            + "\necho own-$((6*7)) > own.txt && cat own.txt && echo home-$((6*7)) > $HOME/x && cat $HOME/x && echo tmp-$((6*7)) > /tmp/t && cat /tmp/t\n";

        var log = await RunAsync("sandboxed", commands);

        Assert.DoesNotContain("LEAKED-", log, StringComparison.Ordinal);
        Assert.DoesNotContain("RootOnlySecret77", log, StringComparison.Ordinal);
        Assert.DoesNotContain("CAIRN_", log, StringComparison.Ordinal);
        Assert.DoesNotContain("DataDirectoryCanary", log, StringComparison.Ordinal);
        Assert.True(log.Contains("own-42", StringComparison.Ordinal), log);
        Assert.True(log.Contains("home-42", StringComparison.Ordinal), log);
        Assert.True(log.Contains("tmp-42", StringComparison.Ordinal), log);
        Assert.True(log.Contains("Phase complete: BUILD State: SUCCEEDED", StringComparison.Ordinal), log);
    }

    private static JsonObject Source(string location) => new() { ["sourceTypeOverride"] = "GITHUB", ["sourceLocationOverride"] = location };

    [Fact]
    public async Task A_host_directory_outside_the_source_roots_is_refused_as_a_source_and_the_data_directory_always()
    {
        var secret = Path.Combine(_hostSecrets, "source");
        Directory.CreateDirectory(secret);
        await File.WriteAllTextAsync(Path.Combine(secret, "id_rsa"), "PrivateKeyMaterial99");
        File.SetUnixFileMode(Path.Combine(secret, "id_rsa"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var outside = await RunAsync("outside-root", "cat id_rsa", Source(secret));
        Assert.DoesNotContain("PrivateKeyMaterial99", outside, StringComparison.Ordinal);
        Assert.Contains($"source location {secret} is outside the directories this Cairn server builds from", outside, StringComparison.Ordinal);
        Assert.Contains("cairn serve --source-root DIR", outside, StringComparison.Ordinal);

        var viaGit = await RunAsync("outside-root-git", "cat id_rsa", Source("file://" + secret));
        Assert.Contains("is outside the directories this Cairn server builds from", viaGit, StringComparison.Ordinal);

        var dataDirectory = await RunAsync("data-dir", "cat master.key", Source(cairn.DataDirectory));
        Assert.Contains("is inside the Cairn server's data directory", dataDirectory, StringComparison.Ordinal);
    }
}
