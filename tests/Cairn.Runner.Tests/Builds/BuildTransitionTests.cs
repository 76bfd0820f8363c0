using Cairn.Core.Builds;
using Cairn.Runner.Builds;
using Cairn.Runner.Phases;

namespace Cairn.Runner.Tests.Builds;

/// <summary>CodeBuild's phase transitions, one buildspec per row, run with real shells.</summary>
public sealed class BuildTransitionTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    public static TheoryData<string, string, string, string> Transitions => new()
    {
        {
            "all phases succeed",
            """
            version: 0.2
            phases:
              install: { commands: [ "echo i" ] }
              pre_build: { commands: [ "echo p" ] }
              build: { commands: [ "echo b" ] }
              post_build: { commands: [ "echo s" ] }
            """,
            "DOWNLOAD_SOURCE:SUCCEEDED INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:SUCCEEDED POST_BUILD:SUCCEEDED UPLOAD_ARTIFACTS:SUCCEEDED",
            "SUCCEEDED"
        },
        {
            "phases missing from the buildspec still pass",
            "version: 0.2\nphases:\n  build:\n    commands:\n      - echo only\n",
            "DOWNLOAD_SOURCE:SUCCEEDED INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:SUCCEEDED POST_BUILD:SUCCEEDED UPLOAD_ARTIFACTS:SUCCEEDED",
            "SUCCEEDED"
        },
        {
            "install failure skips build, post_build and upload",
            """
            version: 0.2
            phases:
              install: { commands: [ "exit 3" ] }
              build: { commands: [ "echo never-build" ] }
              post_build: { commands: [ "echo never-post" ] }
            """,
            "DOWNLOAD_SOURCE:SUCCEEDED INSTALL:FAILED",
            "FAILED"
        },
        {
            "pre_build failure skips build, post_build and upload",
            """
            version: 0.2
            phases:
              pre_build: { commands: [ "false" ] }
              build: { commands: [ "echo never-build" ] }
              post_build: { commands: [ "echo never-post" ] }
            """,
            "DOWNLOAD_SOURCE:SUCCEEDED INSTALL:SUCCEEDED PRE_BUILD:FAILED",
            "FAILED"
        },
        {
            "build failure still runs post_build and upload",
            """
            version: 0.2
            phases:
              build: { commands: [ "false", "echo never-build" ] }
              post_build: { commands: [ "echo post-ran-$CODEBUILD_BUILD_SUCCEEDING" ] }
            """,
            "DOWNLOAD_SOURCE:SUCCEEDED INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:FAILED POST_BUILD:SUCCEEDED UPLOAD_ARTIFACTS:SUCCEEDED",
            "FAILED"
        },
        {
            "post_build failure still uploads",
            """
            version: 0.2
            phases:
              post_build: { commands: [ "false" ] }
            """,
            "DOWNLOAD_SOURCE:SUCCEEDED INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:SUCCEEDED POST_BUILD:FAILED UPLOAD_ARTIFACTS:SUCCEEDED",
            "FAILED"
        },
        {
            "on-failure CONTINUE goes on after a failed install",
            """
            version: 0.2
            phases:
              install:
                on-failure: CONTINUE
                commands: [ "false" ]
              build: { commands: [ "echo build-ran-$CODEBUILD_BUILD_SUCCEEDING" ] }
            """,
            "DOWNLOAD_SOURCE:SUCCEEDED INSTALL:FAILED PRE_BUILD:SUCCEEDED BUILD:SUCCEEDED POST_BUILD:SUCCEEDED UPLOAD_ARTIFACTS:SUCCEEDED",
            "FAILED"
        },
        {
            "on-failure ABORT on install is the default transition",
            """
            version: 0.2
            phases:
              install:
                on-failure: ABORT
                commands: [ "false" ]
              build: { commands: [ "echo never-build" ] }
            """,
            "DOWNLOAD_SOURCE:SUCCEEDED INSTALL:FAILED",
            "FAILED"
        },
        {
            "finally runs after a failed command and the phase fails",
            """
            version: 0.2
            phases:
              build:
                commands: [ "false", "echo never-build" ]
                finally: [ "echo cleanup-ran" ]
            """,
            "DOWNLOAD_SOURCE:SUCCEEDED INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:FAILED POST_BUILD:SUCCEEDED UPLOAD_ARTIFACTS:SUCCEEDED",
            "FAILED"
        },
        {
            "a failing finally fails a phase whose commands passed",
            """
            version: 0.2
            phases:
              pre_build:
                commands: [ "echo fine" ]
                finally: [ "exit 9" ]
              build: { commands: [ "echo never-build" ] }
            """,
            "DOWNLOAD_SOURCE:SUCCEEDED INSTALL:SUCCEEDED PRE_BUILD:FAILED",
            "FAILED"
        },
        {
            "RETRY-2 runs the phase again until it passes",
            """
            version: 0.2
            phases:
              build:
                on-failure: RETRY-2
                commands:
                  - echo x >> attempts
                  - test $(wc -l < attempts) -ge 3
            """,
            "DOWNLOAD_SOURCE:SUCCEEDED INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:SUCCEEDED POST_BUILD:SUCCEEDED UPLOAD_ARTIFACTS:SUCCEEDED",
            "SUCCEEDED"
        },
        {
            "RETRY-1 gives up after one retry",
            """
            version: 0.2
            phases:
              build:
                on-failure: RETRY-1
                commands:
                  - echo x >> attempts
                  - test $(wc -l < attempts) -ge 3
            """,
            "DOWNLOAD_SOURCE:SUCCEEDED INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:FAILED POST_BUILD:SUCCEEDED UPLOAD_ARTIFACTS:SUCCEEDED",
            "FAILED"
        },
        {
            "RETRY with a regex that does not match the error does not retry",
            """
            version: 0.2
            phases:
              pre_build:
                on-failure: RETRY-3-exit status 7
                commands:
                  - echo x >> attempts
                  - exit 4
            """,
            "DOWNLOAD_SOURCE:SUCCEEDED INSTALL:SUCCEEDED PRE_BUILD:FAILED",
            "FAILED"
        },
        {
            "a YAML error fails DOWNLOAD_SOURCE",
            "version: 0.2\nphases:\n  build:\n    commands:\n      - echo a\n     - echo b\n",
            "DOWNLOAD_SOURCE:FAILED",
            "FAILED"
        },
        {
            "a secrets-manager secret that does not exist fails DOWNLOAD_SOURCE",
            "version: 0.2\nenv:\n  secrets-manager:\n    TOKEN: prod/token:value\nphases:\n  build:\n    commands:\n      - echo never\n",
            "DOWNLOAD_SOURCE:FAILED",
            "FAILED"
        },
        {
            "an unknown env.shell fails DOWNLOAD_SOURCE",
            "version: 0.2\nenv:\n  shell: /no/such/shell\nphases:\n  build:\n    commands:\n      - echo never\n",
            "DOWNLOAD_SOURCE:FAILED",
            "FAILED"
        },
    };

    private static int Rank(string phaseType) => BuildPhaseTypes.Order.ToList().IndexOf(phaseType);

    [Theory]
    [MemberData(nameof(Transitions))]
    public async Task Phases_follow_CodeBuild_transitions(string name, string yaml, string phases, string status)
    {
        var (result, log) = await _harness.RunAsync(yaml);

        var ran = result.Phases
            .Where(p => Rank(p.PhaseType) >= Rank(BuildPhaseTypes.DownloadSource) && Rank(p.PhaseType) <= Rank(BuildPhaseTypes.UploadArtifacts))
            .Select(p => $"{p.PhaseType}:{p.PhaseStatus}");
        Assert.True(phases == string.Join(' ', ran), $"{name}\n{string.Join(' ', ran)}\n{log}");
        Assert.Equal(status, result.Status);
        Assert.DoesNotContain("never", log.Replace("echo never", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(
            [BuildPhaseTypes.Submitted, BuildPhaseTypes.Queued, BuildPhaseTypes.Provisioning],
            result.Phases.Take(3).Select(p => p.PhaseType));
        Assert.Equal([BuildPhaseTypes.Finalizing, BuildPhaseTypes.Completed], result.Phases.TakeLast(2).Select(p => p.PhaseType));
        Assert.Null(result.Phases[^1].PhaseStatus);
    }

    [Fact]
    public async Task Post_build_after_a_failed_build_sees_CODEBUILD_BUILD_SUCCEEDING_0()
    {
        var (_, log) = await _harness.RunAsync("""
            version: 0.2
            phases:
              build:
                commands:
                  - echo "during-build-$CODEBUILD_BUILD_SUCCEEDING"
                  - false
              post_build:
                commands:
                  - echo "in-post-build-$CODEBUILD_BUILD_SUCCEEDING"
            """);

        Assert.Contains("during-build-1\n", log, StringComparison.Ordinal);
        Assert.Contains("in-post-build-0\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_that_exits_the_shell_does_not_bring_back_CODEBUILD_BUILD_SUCCEEDING_1()
    {
        var (_, log) = await _harness.RunAsync("""
            version: 0.2
            phases:
              build:
                commands:
                  - exit 5
              post_build:
                commands:
                  - echo "post-$CODEBUILD_BUILD_SUCCEEDING"
            """);

        Assert.Contains("post-0\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_are_logged_and_the_phase_is_recorded_once()
    {
        var (result, log) = await _harness.RunAsync("""
            version: 0.2
            phases:
              build:
                on-failure: RETRY
                commands:
                  - echo x >> attempts
                  - test $(wc -l < attempts) -ge 2
            """);

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        Assert.Single(result.Phases, p => p.PhaseType == BuildPhaseTypes.Build);
        Assert.Contains("Retrying phase BUILD (retry 1 of 3)", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_phase_carries_CodeBuild_context_and_the_build_log_says_so()
    {
        var (result, log) = await _harness.RunAsync("version: 0.2\nphases:\n  install:\n    commands:\n      - exit 3\n");

        var install = result.Phase(BuildPhaseTypes.Install)!;
        Assert.Equal(new PhaseContext("COMMAND_EXECUTION_ERROR", "Error while executing command: exit 3. Reason: exit status 3"), install.Contexts!.Single());
        Assert.Contains("Phase complete: INSTALL State: FAILED", log, StringComparison.Ordinal);
        Assert.Equal(BuildPhaseTypes.Install, result.FailedPhase!.PhaseType);
    }

    [Fact]
    public async Task A_YAML_error_reports_YAML_FILE_ERROR_with_the_line()
    {
        var (result, log) = await _harness.RunAsync("version: 0.2\nphases:\n  build:\n    commands:\n      - echo a\n     - echo b\n");

        var context = result.Phase(BuildPhaseTypes.DownloadSource)!.Contexts!.Single();
        Assert.Equal("YAML_FILE_ERROR", context.StatusCode);
        Assert.Contains("line 6", context.Message, StringComparison.Ordinal);
        Assert.Contains("Phase context status code: YAML_FILE_ERROR Message: ", log, StringComparison.Ordinal);
    }
}
