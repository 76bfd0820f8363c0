using Cairn.Core.Builds;
using Cairn.Runner.Builds;
using Cairn.Runner.Tests.Builds;

namespace Cairn.Runner.Tests.Kubernetes;

/// <summary>What a pod build sends back after POST_BUILD: exported variables, artifacts, reports, the cache.</summary>
public sealed partial class KubernetesExecutorTests
{
    private const string OutputsBuildspec = """
        version: 0.2
        env:
          parameter-store:
            APP_PASSWORD: /app/password
          exported-variables:
            - VERSION
            - LEAKY
            - EMPTY
            - AWS_REGION
        phases:
          build:
            commands:
              - mkdir -p dist/bin dist/sub reports docs
              - printf '#!/bin/sh\necho app\n' > dist/bin/app.sh && chmod +x dist/bin/app.sh
              - echo lib > dist/sub/lib.txt
              - echo skip > dist/debug.log
              - echo manual > docs/manual.txt
              - printf '<testsuite name="s" tests="2"><testcase classname="c" name="a"/><testcase classname="c" name="b"><failure message="boom"/></testcase></testsuite>' > reports/junit.xml
              - export VERSION="1.2.3 with spaces"
              - export LEAKY="token=$APP_PASSWORD"
              - cd dist
          post_build:
            commands:
              - export EMPTY=
        artifacts:
          name: site
          base-directory: dist
          files:
            - '**/*'
          exclude-paths:
            - '*.log'
          secondary-artifacts:
            manual:
              discard-paths: yes
              files:
                - docs/manual.txt
        reports:
          unit:
            base-directory: reports
            files:
              - '*.xml'
        """;

    private static Dictionary<string, string> FilesUnder(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f) + " " + File.GetUnixFileMode(f), File.ReadAllText, StringComparer.Ordinal);

    [Fact]
    public async Task Artifacts_reports_and_exported_variables_come_back_from_the_pod_as_a_host_build_makes_them()
    {
        using var host = new BuildHarness();
        host.Secrets.Parameters["/app/password"] = new ResolvedParameter("/app/password", Password, "SecureString");
        using var jobs = Connect();

        var (onHost, _) = await host.RunAsync(OutputsBuildspec);
        var (inPod, log) = await RunAsync(jobs, OutputsBuildspec);

        Assert.Equal(BuildStatuses.Succeeded, onHost.Status);
        Assert.Equal(BuildStatuses.Succeeded, inPod.Status);
        Assert.Equal(
            [new ExportedVariable("VERSION", "1.2.3 with spaces"), new ExportedVariable("LEAKY", "token=***"), new ExportedVariable("EMPTY", "")],
            inPod.ExportedVariables);
        Assert.Equal(onHost.ExportedVariables, inPod.ExportedVariables);
        Assert.Contains("Not exporting AWS_REGION", log, StringComparison.Ordinal);

        Assert.Equal(["site", "manual"], inPod.Artifacts.Select(a => a.Name));
        Assert.Equal(onHost.Artifacts.Select(a => (a.Name, string.Join(",", a.Files))), inPod.Artifacts.Select(a => (a.Name, string.Join(",", a.Files))));
        var podArtifacts = FilesUnder(Path.Combine(_harness.Output, "artifacts"));
        Assert.Equal(FilesUnder(Path.Combine(host.Output, "artifacts")), podArtifacts);
        Assert.Contains(podArtifacts, f => f.Key.StartsWith("site/bin/app.sh ", StringComparison.Ordinal) && f.Key.Contains("UserExecute", StringComparison.Ordinal));
        Assert.Equal("manual\n", podArtifacts.Single(f => f.Key.StartsWith("manual/manual.txt ", StringComparison.Ordinal)).Value);

        var report = Assert.Single(inPod.Reports);
        Assert.Equal((2, 1, 1), (report.Total, report.Passed, report.Failed));
        static string Summary(Runner.Reports.ReportSummary r) => $"{r.Group} {r.Total}/{r.Passed}/{r.Failed}/{r.Skipped} {string.Join(",", r.Files)} {string.Join(",", r.FailedTests)} {string.Join(",", r.Problems)}";
        Assert.Equal(Summary(Assert.Single(onHost.Reports)), Summary(report));

        // Built in the pod only: the local source never saw these files.
        Assert.False(Directory.Exists(Path.Combine(_harness.Source, "dist")));
        Assert.DoesNotContain("##cairn-", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, log, StringComparison.Ordinal);
        Assert.Contains("Artifact site written to", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cache_is_saved_from_one_pod_and_restored_into_the_next()
    {
        using var jobs = Connect();
        const string Yaml = """
            version: 0.2
            phases:
              build:
                commands:
                  - test -f deps/lib.txt && echo "cache-hit" || { mkdir -p deps; echo lib > deps/lib.txt; echo cache-miss; }
            cache:
              key: deps-$(codebuild-hash-files lock.txt)
              paths:
                - 'deps/**/*'
                - '/root/.m2/**/*'
            """;
        _harness.Write("lock.txt", "v1\n");

        var (first, firstLog) = await RunAsync(jobs, Yaml);
        // The harness reuses the build's id, so its Job name: as if the first Job's TTL had run out.
        await jobs.DeleteJobAsync(Posted("jobs")["metadata"]!["name"]!.GetValue<string>(), CancellationToken.None);
        var (second, secondLog) = await RunAsync(jobs, Yaml);

        Assert.True(first.Status == BuildStatuses.Succeeded, firstLog);
        Assert.Contains("cache-miss\n", firstLog, StringComparison.Ordinal);
        Assert.Contains("Saved 1 file(s) to the cache", firstLog, StringComparison.Ordinal);
        Assert.Contains("[WARN] cache path /root/.m2/**/* is not cached: a Kubernetes build caches only paths under CODEBUILD_SRC_DIR", firstLog, StringComparison.Ordinal);
        Assert.True(second.Status == BuildStatuses.Succeeded, secondLog);
        Assert.Contains("Restored cache deps-", secondLog, StringComparison.Ordinal);
        Assert.Contains("cache-hit\n", secondLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_over_the_cap_fail_UPLOAD_ARTIFACTS_with_CLIENT_ERROR_and_the_fix_and_never_reach_the_log()
    {
        using var jobs = Connect();
        var megabytes = (BuildRun.MaxPodResultBytes >> 20) + 1;

        var (result, log) = await RunAsync(jobs, $"""
            version: 0.2
            env:
              exported-variables:
                - VERSION
            phases:
              build:
                commands:
                  - head -c {megabytes}M /dev/urandom > big.bin
                  - export VERSION=1
            artifacts:
              files:
                - big.bin
            """);

        Assert.Equal(BuildStatuses.Failed, result.Status);
        var upload = result.Phase(BuildPhaseTypes.UploadArtifacts)!;
        Assert.Equal(BuildStatuses.Failed, upload.PhaseStatus);
        var context = upload.Contexts!.Single();
        Assert.Equal("CLIENT_ERROR", context.StatusCode);
        Assert.Contains($"which Cairn caps at {BuildRun.MaxPodResultBytes / 1024} KiB", context.Message, StringComparison.Ordinal);
        Assert.Contains("aws s3 cp", upload.Hint, StringComparison.Ordinal);
        Assert.Empty(result.Artifacts);
        Assert.Equal([new ExportedVariable("VERSION", "1")], result.ExportedVariables);
        Assert.True(log.Length < 64 * 1024, $"the log is {log.Length} characters");
        Assert.Equal(BuildStatuses.Succeeded, result.Phase(BuildPhaseTypes.PostBuild)!.PhaseStatus);
    }

    [Fact]
    public async Task Files_just_under_the_cap_come_back_whole()
    {
        using var jobs = Connect();
        var bytes = BuildRun.MaxPodResultBytes - (64 * 1024);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var (result, log) = await RunAsync(jobs, $"""
            version: 0.2
            phases:
              build:
                commands:
                  - head -c {bytes} /dev/urandom > big.bin
                  - sha256sum big.bin > big.sha
            artifacts:
              files:
                - big.*
            """);

        Assert.True(result.Status == BuildStatuses.Succeeded, log);
        var artifact = Assert.Single(result.Artifacts);
        using var big = File.OpenRead(Path.Combine(artifact.Location, "big.bin"));
        Assert.Equal(bytes, big.Length);
        Assert.Equal(
            File.ReadAllText(Path.Combine(artifact.Location, "big.sha")).Split(' ')[0],
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(big)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the build took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_result_line_forged_by_a_command_before_POST_BUILD_ended_is_refused_and_nothing_is_taken()
    {
        using var jobs = Connect();

        var (result, log) = await RunAsync(jobs, """
            version: 0.2
            env:
              exported-variables:
                - VERSION
            phases:
              build:
                commands:
                  - echo real > out.txt
                  - export VERSION=real
                  - printf '%s export VERSION %s\n' "$cairn_m" "$(printf forged | base64)"
            artifacts:
              files:
                - out.txt
            """);

        Assert.Equal(BuildStatuses.Failed, result.Status);
        var context = result.Phase(BuildPhaseTypes.UploadArtifacts)!.Contexts!.Single();
        Assert.Equal("CLIENT_ERROR", context.StatusCode);
        Assert.Equal("the result block on the build's pod log cannot be used (a result line ('export') before POST_BUILD ended); nothing was collected from the pod", context.Message);
        Assert.Empty(result.ExportedVariables);
        Assert.Empty(result.Artifacts);
        Assert.DoesNotContain("export VERSION Zm9yZ2Vk", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_build_stopped_by_a_failed_INSTALL_sends_nothing_back_and_skips_UPLOAD_ARTIFACTS_as_on_the_host()
    {
        using var jobs = Connect();

        var (result, _) = await RunAsync(jobs, "version: 0.2\nenv:\n  exported-variables:\n    - X\nphases:\n  install:\n    commands:\n      - exit 4\nartifacts:\n  files:\n    - '**/*'\n");

        Assert.Equal(BuildStatuses.Failed, result.Status);
        Assert.Null(result.Phase(BuildPhaseTypes.UploadArtifacts));
        Assert.Empty(result.ExportedVariables);
    }
}
