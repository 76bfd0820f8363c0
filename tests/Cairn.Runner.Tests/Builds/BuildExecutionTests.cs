using Cairn.Core.Builds;
using System.Globalization;
using System.IO.Compression;
using Cairn.Runner.Artifacts;
using Cairn.Runner.Builds;
using Cairn.Runner.Phases;

namespace Cairn.Runner.Tests.Builds;

public sealed class BuildExecutionTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Version_0_2_shares_one_shell_across_phases()
    {
        _harness.Write("sub/marker.txt", "here");
        var (result, log) = await _harness.RunAsync("""
            version: 0.2
            phases:
              install:
                commands:
                  - cd sub
                  - export CARRIED=yes
              build:
                commands:
                  - echo "dir=$(basename "$PWD") carried=$CARRIED"
            """);

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        Assert.Contains("dir=sub carried=yes\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_0_1_runs_every_command_in_a_fresh_shell()
    {
        Directory.CreateDirectory(Path.Combine(_harness.Source, "sub"));
        var (result, log) = await _harness.RunAsync("""
            version: 0.1
            phases:
              build:
                commands:
                  - cd sub
                  - export CARRIED=yes
                  - echo "dir=$(basename "$PWD") carried=${CARRIED:-no}"
            """);

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        Assert.Contains($"dir={Path.GetFileName(_harness.Source)} carried=no\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Env_shell_bash_runs_the_commands_in_bash()
    {
        var (_, log) = await _harness.RunAsync("version: 0.2\nenv:\n  shell: bash\nphases:\n  build:\n    commands:\n      - echo \"bash=${BASH_VERSION:+yes}\"\n");

        Assert.Contains("bash=yes\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CodeBuild_variables_are_set_for_every_build()
    {
        var (_, log) = await _harness.RunAsync("""
            version: 0.2
            phases:
              build:
                commands:
                  - echo "id=$CODEBUILD_BUILD_ID"
                  - echo "arn=$CODEBUILD_BUILD_ARN"
                  - echo "number=$CODEBUILD_BUILD_NUMBER initiator=$CODEBUILD_INITIATOR succeeding=$CODEBUILD_BUILD_SUCCEEDING"
                  - echo "src=$CODEBUILD_SRC_DIR region=$AWS_REGION default=$AWS_DEFAULT_REGION log=$CODEBUILD_LOG_PATH"
                  - echo "start=${#CODEBUILD_START_TIME} home=${HOME:+set} kms=$CODEBUILD_KMS_KEY_ID"
            """);

        Assert.Contains("id=demo:6f1c2e0a-0000-4000-8000-000000000001\n", log, StringComparison.Ordinal);
        Assert.Contains("arn=arn:aws:codebuild:us-east-1:000000000000:build/demo:6f1c2e0a-0000-4000-8000-000000000001\n", log, StringComparison.Ordinal);
        Assert.Contains("number=7 initiator=tester succeeding=1\n", log, StringComparison.Ordinal);
        Assert.Contains($"src={_harness.Source} region=us-east-1 default=us-east-1 log=6f1c2e0a-0000-4000-8000-000000000001\n", log, StringComparison.Ordinal);
        Assert.Contains("start=13 home=set kms=arn:aws:kms:us-east-1:000000000000:alias/aws/s3\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Override_beats_project_beats_buildspec_and_values_are_taken_literally()
    {
        var (result, log) = await _harness.RunAsync(
            """
            version: 0.2
            env:
              variables:
                LAYER: buildspec
                ONLY_BUILDSPEC: $PATH:/x
                CODEBUILD_BUILD_ID: hijacked
            phases:
              build:
                commands:
                  - echo "layer=$LAYER project=$PROJECT_ONLY literal=$ONLY_BUILDSPEC id=$CODEBUILD_BUILD_ID"
            """,
            request => request with
            {
                ProjectVariables = [new EnvironmentVariable("LAYER", "project"), new EnvironmentVariable("PROJECT_ONLY", "p")],
                OverrideVariables = [new EnvironmentVariable("LAYER", "override")],
            });

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        Assert.Contains("layer=override project=p literal=$PATH:/x id=demo:6f1c2e0a-0000-4000-8000-000000000001\n", log, StringComparison.Ordinal);
        Assert.Contains("[WARN] env.variables: CODEBUILD_BUILD_ID is ignored; the CODEBUILD_ prefix is reserved", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exported_variables_are_read_from_the_shell_at_the_end()
    {
        var (result, log) = await _harness.RunAsync("""
            version: 0.2
            env:
              variables:
                FROM_ENV: initial
              exported-variables:
                - IMAGE_TAG
                - FROM_ENV
                - NEVER_SET
                - AWS_REGION
            phases:
              build:
                commands:
                  - export IMAGE_TAG="v1 with spaces"
              post_build:
                commands:
                  - FROM_ENV=changed
            """);

        Assert.Equal(
            [new ExportedVariable("IMAGE_TAG", "v1 with spaces"), new ExportedVariable("FROM_ENV", "changed"), new ExportedVariable("NEVER_SET", "")],
            result.ExportedVariables);
        Assert.Contains("[WARN] Not exporting AWS_REGION", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_kills_the_whole_process_tree_including_grandchildren()
    {
        var pidFile = Path.Combine(_harness.Output, "grandchild.pid");
        var yaml = $"""
            version: 0.2
            phases:
              build:
                commands:
                  - sh -c 'sleep 300 & echo $! > {pidFile}; wait'
              post_build:
                commands:
                  - echo never-post
            """;

        var (result, log) = await _harness.RunAsync(yaml, request => request with { Timeout = TimeSpan.FromSeconds(1) });

        Assert.Equal(BuildStatuses.TimedOut, result.Status);
        var build = result.Phase(BuildPhaseTypes.Build)!;
        Assert.Equal(BuildStatuses.TimedOut, build.PhaseStatus);
        Assert.Equal(new PhaseContext("BUILD_TIMED_OUT", "Build has timed out."), build.Contexts!.Single());
        Assert.DoesNotContain(result.Phases, p => p.PhaseType is BuildPhaseTypes.PostBuild or BuildPhaseTypes.UploadArtifacts);
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        Assert.True(await ProcessState.EventuallyAsync(() => !ProcessState.IsAlive(grandchild)), $"sleep {grandchild} survived the timeout");
        Assert.DoesNotContain("never-post\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_the_build_stops_the_commands_and_reports_STOPPED()
    {
        using var cancellation = new BuildCancellation();
        var started = Path.Combine(_harness.Output, "started");
        var run = _harness.RunAsync($"version: 0.2\nphases:\n  build:\n    commands:\n      - touch {started}; sleep 300\n", cancellation: cancellation);
        Assert.True(await ProcessState.EventuallyAsync(() => File.Exists(started)));

        cancellation.Stop();
        var (result, _) = await run;

        Assert.Equal(BuildStatuses.Stopped, result.Status);
        Assert.Equal(new PhaseContext("BUILD_STOPPED", "Build was stopped."), result.Phase(BuildPhaseTypes.Build)!.Contexts!.Single());
    }

    [Fact]
    public async Task Artifacts_are_collected_after_the_phases()
    {
        var (result, log) = await _harness.RunAsync("""
            version: 0.2
            phases:
              build:
                commands:
                  - mkdir -p dist/sub
                  - echo app > dist/app.txt
                  - echo lib > dist/sub/lib.txt
                  - echo skip > dist/debug.log
            artifacts:
              name: site
              base-directory: dist
              files:
                - '**/*'
              exclude-paths:
                - '*.log'
              secondary-artifacts:
                flat:
                  base-directory: dist
                  discard-paths: yes
                  files:
                    - sub/lib.txt
            """);

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        var output = Path.Combine(_harness.Output, "artifacts");
        Assert.Equal("app\n", File.ReadAllText(Path.Combine(output, "site", "app.txt")));
        Assert.Equal("lib\n", File.ReadAllText(Path.Combine(output, "site", "sub", "lib.txt")));
        Assert.False(File.Exists(Path.Combine(output, "site", "debug.log")));
        Assert.Equal("lib\n", File.ReadAllText(Path.Combine(output, "flat", "lib.txt")));
        Assert.Equal(["site", "flat"], result.Artifacts.Select(a => a.Name));
        Assert.Contains("Found 2 file(s)", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Artifacts_can_be_zipped()
    {
        var (result, _) = await _harness.RunAsync(
            "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi > out.txt\nartifacts:\n  files:\n    - out.txt\n",
            request => request with { ArtifactPackaging = ArtifactPackaging.Zip });

        using var zip = ZipFile.OpenRead(Assert.Single(result.Artifacts).Location);
        Assert.Equal(["out.txt"], zip.Entries.Select(e => e.FullName));
    }

    [Fact]
    public async Task Missing_artifact_files_fail_UPLOAD_ARTIFACTS()
    {
        var (result, _) = await _harness.RunAsync("version: 0.2\nphases:\n  build:\n    commands:\n      - echo\nartifacts:\n  files:\n    - nothing/*.jar\n");

        Assert.Equal(BuildStatuses.Failed, result.Status);
        var upload = result.Phase(BuildPhaseTypes.UploadArtifacts)!;
        Assert.Equal("CLIENT_ERROR", upload.Contexts!.Single().StatusCode);
        Assert.StartsWith("no matching artifact paths found", upload.Contexts!.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_are_summarized_even_when_the_build_failed()
    {
        var (result, log) = await _harness.RunAsync("""
            version: 0.2
            phases:
              build:
                commands:
                  - mkdir -p reports
                  - printf '<testsuite><testcase name="a"/><testcase name="b"><failure/></testcase><testcase name="c"><skipped/></testcase></testsuite>' > reports/junit.xml
                  - false
            reports:
              unit:
                files:
                  - 'reports/*.xml'
            """);

        Assert.Equal(BuildStatuses.Failed, result.Status);
        var report = Assert.Single(result.Reports);
        Assert.Equal((3, 1, 1, 1), (report.Total, report.Passed, report.Failed, report.Skipped));
        Assert.Contains("Report group unit: 3 tests, 1 passed, 1 failed, 1 skipped", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cache_paths_are_saved_after_a_good_build_and_restored_in_the_next()
    {
        const string Yaml = """
            version: 0.2
            phases:
              build:
                commands:
                  - test -f deps/lib.txt && echo "cache-hit" || { mkdir -p deps; echo lib > deps/lib.txt; echo cache-miss; }
            cache:
              key: deps-v1
              paths:
                - 'deps/**/*'
            """;

        var (_, first) = await _harness.RunAsync(Yaml);
        Directory.Delete(Path.Combine(_harness.Source, "deps"), recursive: true);
        var (_, second) = await _harness.RunAsync(Yaml);

        Assert.Contains("cache-miss\n", first, StringComparison.Ordinal);
        Assert.Contains("Restored cache deps-v1", second, StringComparison.Ordinal);
        Assert.Contains("cache-hit\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_typo_gets_a_did_you_mean_hint()
    {
        _harness.Write("day14/simple_python_app/requirements.txt", "flask\n");

        var (result, log) = await _harness.RunAsync("version: 0.2\nphases:\n  install:\n    commands:\n      - cd day14/sample_python_app\n");

        Assert.Equal(BuildStatuses.Failed, result.Status);
        Assert.Contains("did you mean day14/simple_python_app?", result.Phase(BuildPhaseTypes.Install)!.Hint, StringComparison.Ordinal);
        Assert.Contains("Hint: ", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_command_is_named()
    {
        var (result, _) = await _harness.RunAsync("version: 0.2\nphases:\n  build:\n    commands:\n      - no-such-tool-xyz --version\n");

        var build = result.Phase(BuildPhaseTypes.Build)!;
        Assert.Equal("Error while executing command: no-such-tool-xyz --version. Reason: exit status 127", build.Contexts!.Single().Message);
        Assert.Equal("command not found: no-such-tool-xyz", build.Hint);
    }

    [Fact]
    public async Task Runtime_versions_and_run_as_are_warned_about_on_the_host()
    {
        var (result, log) = await _harness.RunAsync("""
            version: 0.2
            run-as: builder
            phases:
              install:
                runtime-versions:
                  python: 3.11
                commands:
                  - echo ok
            """);

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        Assert.Contains("[WARN] Skipping install of runtimes (python 3.11): runtime-versions is ignored on the host", log, StringComparison.Ordinal);
        Assert.Contains($"[WARN] run-as builder is ignored on the host: commands run as {Environment.UserName}.", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_log_follows_CodeBuild_s_shape()
    {
        var (result, log) = await _harness.RunAsync("version: 0.2\nphases:\n  build:\n    commands:\n      - echo hello\n");

        var lines = log.Split('\n').Where(l => l.StartsWith("[Container]", StringComparison.Ordinal)).Select(l => l[36..]).ToList();
        Assert.Equal("Phase is DOWNLOAD_SOURCE", lines[0]);
        Assert.Contains("Phases found in YAML: 1", lines);
        Assert.Contains(" BUILD: 1 commands", lines);
        Assert.Contains("Entering phase BUILD", lines);
        Assert.Contains("Running command echo hello", lines);
        Assert.Contains("Phase complete: UPLOAD_ARTIFACTS State: SUCCEEDED", lines);
        Assert.True(result.Succeeded);
    }
}
