using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Build;

/// <summary>
/// `cairn build` runs through the same lifecycle as the server's builds: its build is stored in the data directory's
/// database with its log, so a server on that directory lists it, BatchGetBuilds shows it, `cairn logs` prints it, and its
/// commands see the same CODEBUILD_* variables as a build the server runs.
/// </summary>
public sealed class StoredLocalBuildTests(CairnFixture cairn) : IClassFixture<CairnFixture>, IDisposable
{
    private const string PrintVariables = "      - echo \"VARS $(env | grep -o '^CODEBUILD_[A-Z_]*' | sort | tr '\\n' ' ')\"\n";
    private readonly BuildWorkspace _workspace = new(cairn);

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_local_build_is_stored_listed_and_its_log_is_read_by_cairn_logs()
    {
        _workspace.Write("buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo stored-marker\n");

        var result = await _workspace.BuildAsync("--format", "json", "--project", "stored-demo");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var id = result.Json["id"]!.GetValue<string>();
        var listed = (await cairn.Aws("codebuild", "list-builds")).Ok()["ids"]!.AsArray().Select(i => i!.GetValue<string>());
        Assert.Contains(id, listed);
        var build = await cairn.WaitForBuildAsync(id);
        Assert.Equal("SUCCEEDED", build["buildStatus"]!.GetValue<string>());
        Assert.Equal(result.Json["buildNumber"]!.GetValue<long>(), build["buildNumber"]!.GetValue<long>());
        Assert.Equal(
            ["SUBMITTED", "QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE", "INSTALL", "PRE_BUILD", "BUILD", "POST_BUILD", "UPLOAD_ARTIFACTS", "FINALIZING", "COMPLETED"],
            build["phases"]!.AsArray().Select(p => p!["phaseType"]!.GetValue<string>()));

        var (exit, output, error) = await cairn.CairnLogsAsync(id, follow: true);

        Assert.True(exit == 0, output + error);
        Assert.Contains("Running command echo stored-marker\n", output, StringComparison.Ordinal);
        Assert.Contains("\nstored-marker\n", output, StringComparison.Ordinal);
        Assert.Contains("Phase complete: BUILD State: SUCCEEDED", output, StringComparison.Ordinal);
        // Its log is a CloudWatch Logs stream too, as a server build's is.
        var events = (await cairn.Aws("logs", "get-log-events", "--log-group-name", build["logs"]!["groupName"]!.GetValue<string>(),
            "--log-stream-name", build["logs"]!["streamName"]!.GetValue<string>(), "--start-from-head")).Ok();
        Assert.Contains(events["events"]!.AsArray(), e => e!["message"]!.GetValue<string>().TrimEnd('\n') == "stored-marker");
    }

    [Fact]
    public async Task A_local_build_gets_the_same_CODEBUILD_variables_as_a_build_the_server_runs()
    {
        const string Buildspec = "version: 0.2\nphases:\n  build:\n    commands:\n" + PrintVariables;
        _workspace.Write("buildspec.yml", Buildspec);
        var local = await _workspace.BuildAsync("--project", "variables-local");
        Assert.True(local.ExitCode == 0, local.Stdout + local.Stderr);

        (await cairn.Aws("iam", "create-role", "--role-name", "variables-role", "--assume-role-policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""")).Ok();
        (await cairn.Aws("codebuild", "create-project", "--name", "variables-server",
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = Buildspec }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS",
            "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL",
            "--service-role", $"arn:aws:iam::{cairn.Server.Options.AccountId}:role/variables-role")).Ok();
        var id = (await cairn.Aws("codebuild", "start-build", "--project-name", "variables-server")).Ok()["build"]!["id"]!.GetValue<string>();
        var build = await cairn.WaitForBuildAsync(id);
        var events = (await cairn.Aws("logs", "get-log-events", "--log-group-name", "/aws/codebuild/variables-server",
            "--log-stream-name", build["logs"]!["streamName"]!.GetValue<string>(), "--start-from-head")).Ok();
        var serverLines = events["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>().TrimEnd('\n'));

        var localVariables = Assert.Single(local.Stdout.Split('\n'), line => line.StartsWith("VARS ", StringComparison.Ordinal));
        var serverVariables = Assert.Single(serverLines, line => line.StartsWith("VARS ", StringComparison.Ordinal));
        Assert.Contains("CODEBUILD_BUILD_ID CODEBUILD_BUILD_IMAGE CODEBUILD_BUILD_NUMBER", localVariables, StringComparison.Ordinal);
        Assert.Equal(serverVariables, localVariables);
    }

    [Fact]
    public async Task StopBuild_through_a_server_on_the_data_directory_stops_a_local_build()
    {
        var started = Path.Combine(_workspace.Source, "started");
        _workspace.Write("buildspec.yml", $"version: 0.2\nphases:\n  build:\n    commands:\n      - touch {started}; sleep 300\n");
        using var build = _workspace.Start(new Dictionary<string, string>(), "--project", "stop-demo");
        var stdout = build.StandardOutput.ReadToEndAsync();
        var stderr = build.StandardError.ReadToEndAsync();
        using (var waiting = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (!File.Exists(started))
            {
                await Task.Delay(100, waiting.Token);
            }
        }

        var ids = (await cairn.Aws("codebuild", "list-builds")).Ok()["ids"]!.AsArray().Select(i => i!.GetValue<string>());
        var id = ids.First(i => i.StartsWith("stop-demo:", StringComparison.Ordinal));
        (await cairn.Aws("codebuild", "stop-build", "--id", id)).Ok();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await build.WaitForExitAsync(timeout.Token);
        Assert.True(build.ExitCode == 130, await stdout + await stderr);
        var stored = await cairn.WaitForBuildAsync(id);
        Assert.Equal("STOPPED", stored["buildStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_end_of_the_output_summarises_each_report_group_with_its_failed_tests()
    {
        _workspace.Write("reports/junit.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites>
              <testsuite name="calc" tests="4" failures="1" errors="1" skipped="1">
                <testcase classname="calc.Add" name="adds" time="0.01"/>
                <testcase classname="calc.Div" name="divides_by_zero" time="0.02"><failure message="expected error">boom</failure></testcase>
                <testcase classname="calc.Mul" name="overflows" time="0.01"><error message="crash">trace</error></testcase>
                <testcase classname="calc.Sub" name="later" time="0"><skipped/></testcase>
              </testsuite>
            </testsuites>
            """);
        _workspace.Write("buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo testing\nreports:\n  unit:\n    files:\n      - 'reports/junit.xml'\n    file-format: JUNITXML\n");

        var result = await _workspace.BuildAsync("--project", "reports-demo");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var tail = result.Stdout[result.Stdout.LastIndexOf("REPORT GROUP", StringComparison.Ordinal)..];
        var lines = tail.Split('\n');
        Assert.Matches(@"^reports-demo-unit\s+1\s+2\s+1$|^unit\s+1\s+2\s+1$", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("  failed: ", StringComparison.Ordinal) && l.Contains("divides_by_zero", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  failed: ", StringComparison.Ordinal) && l.Contains("overflows", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("adds", StringComparison.Ordinal) || l.Contains("later", StringComparison.Ordinal));
    }
}
