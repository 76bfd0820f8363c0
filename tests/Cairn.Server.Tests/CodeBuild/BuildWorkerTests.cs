using Cairn.Application.Builds.Execution;
using Cairn.Core.Builds;
using Cairn.Runner.Processes;

namespace Cairn.Server.Tests.CodeBuild;

public sealed class BuildWorkerTests : WorkerFixture
{
    private const string Buildspec = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n";

    [Fact]
    public async Task A_started_build_runs_to_the_runners_outcome_with_every_phase_recorded()
    {
        await InlineProjectAsync(Buildspec);

        var id = await StartBuildAsync();
        var build = await WaitForCompletionAsync(id);

        Assert.Equal(BuildStatuses.Succeeded, build.Status);
        Assert.Equal(
            ["SUBMITTED", "QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE", "BUILD", "FINALIZING", "COMPLETED"],
            build.Phases.Select(p => p.PhaseType));
        Assert.All(build.Phases.Take(build.Phases.Count - 1), p => Assert.NotNull(p.EndTime));
        Assert.Equal(new ExportedVariable("OUT", "1"), Assert.Single(build.ExportedVariables));
        var log = LogOf(id);
        Assert.Contains("Waiting for agent ping", log, StringComparison.Ordinal);
        Assert.Contains("hello from the build", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_runner_gets_the_role_session_the_endpoint_and_the_inline_buildspec()
    {
        await InlineProjectAsync(Buildspec);

        await WaitForCompletionAsync(await StartBuildAsync());

        var request = Assert.Single(Runner.Requests);
        Assert.True(request.Buildspec.Succeeded);
        Assert.Null(request.BuildspecPath);
        Assert.Equal(FakeRoleAssumer.SessionToken, request.SystemVariables["AWS_SESSION_TOKEN"]);
        Assert.Equal("http://127.0.0.1:4566", request.SystemVariables["AWS_ENDPOINT_URL"]);
        Assert.EndsWith("/docker-config", request.SystemVariables["DOCKER_CONFIG"], StringComparison.Ordinal);
        Assert.False(Directory.Exists(request.SystemVariables["DOCKER_CONFIG"]), "a build's docker login is deleted with the build");
        Assert.StartsWith("arn:aws:sts::000000000000:assumed-role/codebuild-service-role/AWSCodeBuild-", ((RoleOnlySource)request.Secrets!).Role.Principal.Arn, StringComparison.Ordinal);
        Assert.Equal("ASIAFAKEKEY0000001", ((RoleOnlySource)request.Secrets!).Role.AccessKeyId);
        Assert.DoesNotContain(request.BaseEnvironment!.Keys, k => k.StartsWith("CAIRN_", StringComparison.Ordinal) || k.StartsWith("AWS_", StringComparison.Ordinal));
        Assert.IsNotType<Cairn.Runner.Builds.ContainerPlacement>(request.Placement);
        Assert.Equal("aws --endpoint-url http://127.0.0.1:4566", request.AwsCommand);
    }

    [Fact]
    public async Task The_role_sessions_keys_are_masked_in_the_log()
    {
        await InlineProjectAsync(Buildspec);
        Runner.Script = (request, sink, _) =>
        {
            // The build's output goes through the sink, which masks it with everything else the build says.
            FakeBuildExecutor.Write(sink, "token=" + request.SystemVariables["AWS_SESSION_TOKEN"]);
            return Task.FromResult(BuildStatuses.Succeeded);
        };

        var id = await StartBuildAsync();
        await WaitForCompletionAsync(id);

        Assert.Contains("token=***", LogOf(id), StringComparison.Ordinal);
        Assert.DoesNotContain(FakeRoleAssumer.SessionToken, LogOf(id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_codebuild_may_not_assume_fails_provisioning_with_the_reason_and_the_fix()
    {
        await InlineProjectAsync(Buildspec);
        Roles.Untrusted.Add(Role);

        var id = await StartBuildAsync();
        var build = await WaitForCompletionAsync(id);

        Assert.Equal(BuildStatuses.Failed, build.Status);
        var provisioning = build.Phases.Single(p => p.PhaseType == BuildPhaseTypes.Provisioning);
        Assert.Equal(BuildStatuses.Failed, provisioning.PhaseStatus);
        Assert.Equal($"CodeBuild is not authorized to perform: sts:AssumeRole on {Role}", provisioning.Contexts![0].Message);
        Assert.Equal(["SUBMITTED", "QUEUED", "PROVISIONING", "FINALIZING", "COMPLETED"], build.Phases.Select(p => p.PhaseType));
        Assert.Contains("Hint: let codebuild.amazonaws.com assume the role", LogOf(id), StringComparison.Ordinal);
        Assert.Empty(Runner.Requests);
    }

    [Fact]
    public async Task An_environment_cairn_cannot_run_fails_provisioning()
    {
        await InlineProjectAsync(Buildspec, environment: "WINDOWS_SERVER_2022_CONTAINER");

        var build = await WaitForCompletionAsync(await StartBuildAsync());

        var provisioning = build.Phases.Single(p => p.PhaseType == BuildPhaseTypes.Provisioning);
        Assert.Equal(BuildStatuses.Failed, provisioning.PhaseStatus);
        Assert.Contains("WINDOWS_SERVER_2022_CONTAINER is not supported", provisioning.Contexts![0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_source_version_fails_download_source_with_codebuilds_text()
    {
        var repository = await GitRepositoryAsync();
        await CallAsync("CreateProject", ProjectJson(source: $$"""{"type":"GITHUB","location":"file://{{repository}}"}"""));

        var build = await WaitForCompletionAsync(await StartBuildAsync("""{"projectName":"app","sourceVersion":"nope"}"""));

        var download = build.Phases.Single(p => p.PhaseType == BuildPhaseTypes.DownloadSource);
        Assert.Equal(BuildStatuses.Failed, download.PhaseStatus);
        Assert.Equal(new PhaseContext("CLIENT_ERROR", "reference not found for primary source and source version nope"), download.Contexts![0]);
    }

    [Fact]
    public async Task A_git_source_is_fetched_and_its_buildspec_read_from_the_source()
    {
        var repository = await GitRepositoryAsync();
        await CallAsync("CreateProject", ProjectJson(source: $$"""{"type":"GITHUB","location":"file://{{repository}}"}"""));

        var build = await WaitForCompletionAsync(await StartBuildAsync());

        Assert.Equal(BuildStatuses.Succeeded, build.Status);
        Assert.Matches("^[0-9a-f]{40}$", build.ResolvedSourceVersion);
        var request = Assert.Single(Runner.Requests);
        Assert.EndsWith("/src/buildspec.yml", request.BuildspecPath, StringComparison.Ordinal);
        Assert.Equal(build.ResolvedSourceVersion, request.ResolvedSourceVersion);
        Assert.False(Directory.Exists(request.SourceDirectory), "the source is removed once the build is over");
    }

    [Fact]
    public async Task A_missing_buildspec_file_is_a_yaml_file_error_with_did_you_mean()
    {
        var repository = await GitRepositoryAsync(buildspecName: "buildspec.yaml");
        await CallAsync("CreateProject", ProjectJson(source: $$"""{"type":"GITHUB","location":"file://{{repository}}"}"""));

        var id = await StartBuildAsync();
        var build = await WaitForCompletionAsync(id);

        var download = build.Phases.Single(p => p.PhaseType == BuildPhaseTypes.DownloadSource);
        Assert.Equal("YAML_FILE_ERROR", download.Contexts![0].StatusCode);
        Assert.Matches(@"^stat /.*/src/buildspec\.yml: no such file or directory$", download.Contexts[0].Message);
        Assert.Contains("did you mean buildspec.yaml?", LogOf(id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_current_phase_follows_the_executors_events_while_it_runs()
    {
        await InlineProjectAsync(Buildspec);
        var release = new TaskCompletionSource();
        Runner.Script = async (_, sink, _) =>
        {
            sink.StartPhase(BuildPhaseTypes.Build, "Entering phase BUILD");
            await release.Task;
            return BuildStatuses.Succeeded;
        };

        var id = await StartBuildAsync();
        var running = await WaitForAsync(id, b => b.CurrentPhase == BuildPhaseTypes.Build);
        release.SetResult();
        await WaitForCompletionAsync(id);

        Assert.Equal(BuildStatuses.InProgress, running.Status);
        Assert.Equal(BuildStatuses.Succeeded, running.Phases.Single(p => p.PhaseType == BuildPhaseTypes.DownloadSource).PhaseStatus);
    }

    [Fact]
    public async Task With_one_worker_a_second_build_waits_in_the_queue_until_the_first_is_done()
    {
        await InlineProjectAsync(Buildspec);
        var release = new TaskCompletionSource();
        Runner.Script = async (_, _, _) =>
        {
            await release.Task;
            return BuildStatuses.Succeeded;
        };

        var first = await StartBuildAsync();
        await WaitForAsync(first, b => b.CurrentPhase == BuildPhaseTypes.DownloadSource);
        var second = await StartBuildAsync();
        await Task.Delay(200);
        var waiting = await Store.FindBuildAsync(Uuid(second), CancellationToken.None);
        release.SetResult();
        await WaitForCompletionAsync(second);

        Assert.Equal(BuildPhaseTypes.Queued, waiting!.CurrentPhase);
    }

    [Fact]
    public async Task Stop_build_stops_a_running_build()
    {
        await InlineProjectAsync(Buildspec);
        var id = await StartBuildRunningUntilStoppedAsync();

        await CallAsync("StopBuild", $$"""{"id":"{{id}}"}""");
        var build = await WaitForCompletionAsync(id);

        Assert.Equal(BuildStatuses.Stopped, build.Status);
    }

    [Fact]
    public async Task Stop_build_answers_with_the_build_already_stopped_as_AWS_does()
    {
        await InlineProjectAsync(Buildspec);
        var id = await StartBuildRunningUntilStoppedAsync();

        var answer = (System.Text.Json.Nodes.JsonObject)(await CallAsync("StopBuild", $$"""{"id":"{{id}}"}"""))["build"]!;

        Assert.Equal("STOPPED", answer["buildStatus"]!.GetValue<string>());
        Assert.True(answer["buildComplete"]!.GetValue<bool>());
        Assert.Equal("COMPLETED", answer["currentPhase"]!.GetValue<string>());
    }

    /// <summary>Starts a build whose executor runs until the build is stopped or times out, and waits until it runs.</summary>
    private async Task<string> StartBuildRunningUntilStoppedAsync()
    {
        Runner.Script = async (_, _, cancellation) =>
        {
            await Task.Delay(Timeout.Infinite, cancellation.Token);
            return BuildStatuses.Succeeded;
        };
        var id = await StartBuildAsync();
        await WaitForAsync(id, b => b.CurrentPhase == BuildPhaseTypes.DownloadSource);
        return id;
    }

    [Fact]
    public async Task A_build_past_its_timeout_is_timed_out()
    {
        await InlineProjectAsync(Buildspec, extra: ""","timeoutInMinutes":5""");
        var id = await StartBuildRunningUntilStoppedAsync();

        Time.Advance(TimeSpan.FromMinutes(5));
        var build = await WaitForCompletionAsync(id);

        Assert.Equal(BuildStatuses.TimedOut, build.Status);
    }

    private async Task<string> GitRepositoryAsync(string buildspecName = "buildspec.yml")
    {
        // Beside the data directory, not in it: no build may take its source from the server's data directory.
        var repository = Path.Combine(Path.GetDirectoryName(DataDirectory)!, Path.GetFileName(DataDirectory) + "-repo-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(repository);
        await File.WriteAllTextAsync(Path.Combine(repository, buildspecName), Buildspec);
        var environment = new Dictionary<string, string?>
        {
            ["GIT_AUTHOR_NAME"] = "t", ["GIT_AUTHOR_EMAIL"] = "t@example.com", ["GIT_COMMITTER_NAME"] = "t", ["GIT_COMMITTER_EMAIL"] = "t@example.com",
        };
        foreach (var arguments in new[] { new[] { "init", "-q", "-b", "main" }, ["add", "."], ["commit", "-qm", "one"] })
        {
            var result = await ToolProcess.RunAsync("git", ["-C", repository, .. arguments], environment: environment);
            Assert.True(result.Succeeded, result.Output);
        }

        return repository;
    }
}
