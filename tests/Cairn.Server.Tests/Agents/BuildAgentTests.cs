using System.Text.Json.Nodes;
using Cairn.Application.Builds;
using Cairn.Application.Builds.Agents;
using Cairn.Core.Builds;
using Cairn.Core.Identity;
using Cairn.Runner.Agents;
using Cairn.Runner.Builds;
using Cairn.Server.Aws;
using Cairn.Server.Hosting;
using Cairn.Storage.Builds;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Agents;

/// <summary>
/// Build agents end to end: a real server (SQLite, IAM, STS, the agent endpoint on a free port) and agents talking to it
/// over HTTP with the real executor running shell commands. The lease is 3 s here so lost agents are found quickly.
/// </summary>
public sealed class BuildAgentTests : IAsyncLifetime, IDisposable
{
    private const string Account = "000000000000";
    private const string Region = "us-east-1";
    private const string Role = "arn:aws:iam::000000000000:role/agent-build";
    private const string RootKey = "AKIAAGENTTESTROOT001";
    private const string RootSecret = "agent-root-secret";

    private readonly string _data = Directory.CreateTempSubdirectory("cairn-agents-").FullName;
    private readonly SocketsHttpHandler _handler = new() { UseProxy = false };
    private readonly List<(Task Run, CancellationTokenSource Stop)> _agents = [];
    private HttpClient _http = null!;
    private CairnServer _server = null!;

    private static RequestContext Root { get; } = new(Principal.Root(Account), Region, "req", "127.0.0.1", DateTimeOffset.UtcNow, RootKey);

    public async Task InitializeAsync()
    {
        _http = new HttpClient(_handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
        _server = await CairnServer.StartAsync(
            new CairnServerOptions { DataDirectory = _data, Port = 0, RootAccessKeyId = RootKey, RootSecretAccessKey = RootSecret },
            services => services.AddSingleton(CodeBuildOptions.FromEnvironment(Environment.GetEnvironmentVariable) with
            {
                AgentLeaseTimeout = TimeSpan.FromSeconds(3),
                AgentLeaseSweepInterval = TimeSpan.FromMilliseconds(250),
                AgentClaimHold = TimeSpan.FromSeconds(1),
            }));
        var iam = _server.Services.GetServices<IQueryService>().Single(s => s.SigningName == "iam");
        await iam.InvokeAsync("CreateRole", new Dictionary<string, string>
        {
            ["RoleName"] = "agent-build",
            ["AssumeRolePolicyDocument"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""",
        }, Root, default);
    }

    public async Task DisposeAsync()
    {
        foreach (var (run, stop) in _agents)
        {
            await stop.CancelAsync();
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10)));
            stop.Dispose();
        }

        await _server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }

    private BuildAgentService Agents => _server.Services.GetRequiredService<BuildAgentService>();

    private IJsonService CodeBuild => _server.Services.GetServices<IJsonService>().Single(s => s.SigningName == "codebuild");

    private IBuildStore Store => _server.Services.GetRequiredService<IBuildStore>();

    [Fact]
    public async Task A_registration_token_registers_one_agent_and_a_reused_token_is_refused()
    {
        var token = await Agents.CreateRegistrationTokenAsync(Root, default);

        var registration = await AgentClient.RegisterAsync(_http, _server.Endpoint, new AgentRegistrationRequest(token, "one", ["linux"]), default);
        var reused = await Assert.ThrowsAsync<AgentRequestException>(() =>
            AgentClient.RegisterAsync(_http, _server.Endpoint, new AgentRegistrationRequest(token, "two", ["linux"]), default));

        Assert.StartsWith("agent-", registration.AgentId, StringComparison.Ordinal);
        Assert.Equal(["linux"], registration.Labels);
        Assert.Equal(("InvalidRegistrationToken", 403), (reused.Code, reused.Status));
        Assert.Contains("cairn agents token create", reused.Message, StringComparison.Ordinal);
        var stored = Assert.Single(await Agents.ListAgentsAsync(Root, default));
        Assert.NotEqual(registration.AgentSecret, stored.SecretHash);
        Assert.DoesNotContain(token, await File.ReadAllTextAsync(Path.Combine(_data, "cairn.db")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_agent_is_refused_with_a_clear_error()
    {
        var agent = await RegisterAsync(["linux"]);
        await Agents.RevokeAgentAsync(Root, agent.AgentId, default);

        var refused = await Assert.ThrowsAsync<AgentRequestException>(() => agent.ClaimAsync(default));

        Assert.Equal(("AgentRevoked", 403), (refused.Code, refused.Status));
        Assert.Contains("revoked", refused.Message, StringComparison.Ordinal);
        Assert.Contains("cairn agents token create", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_a_registration_token_needs_the_iam_permission()
    {
        var user = new RequestContext(new Principal(PrincipalKind.User, Account, "arn:aws:iam::000000000000:user/nobody", "AIDANOBODY", "nobody"),
            Region, "req", "127.0.0.1", DateTimeOffset.UtcNow);

        var denied = await Assert.ThrowsAsync<Cairn.Core.Errors.AwsException>(() => Agents.CreateRegistrationTokenAsync(user, default));

        Assert.True(denied.IsAccessDenied, denied.Code);
        Assert.Contains("cairn:CreateAgentRegistrationToken", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_runs_a_build_to_SUCCEEDED_with_its_log_readable_through_the_aws_cli()
    {
        await ProjectAsync("app", "linux", "echo hello from the agent; echo key=$AWS_SECRET_ACCESS_KEY");
        StartAgent(await RegisterAsync(["linux", "docker"]));

        var id = await StartBuildAsync("app");
        var build = await WaitForAsync(id, b => b.IsComplete);

        Assert.Equal(BuildStatuses.Succeeded, build.Status);
        Assert.Equal(["SUBMITTED", "QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE", "INSTALL", "PRE_BUILD", "BUILD", "POST_BUILD", "UPLOAD_ARTIFACTS", "FINALIZING", "COMPLETED"],
            build.Phases.Select(p => p.PhaseType));
        var batch = JsonNode.Parse(await AwsAsync("codebuild", "batch-get-builds", "--ids", id))!;
        Assert.Equal("SUCCEEDED", (string?)batch["builds"]![0]!["buildStatus"]);
        var events = JsonNode.Parse(await AwsAsync("logs", "get-log-events", "--log-group-name", "/aws/codebuild/app", "--log-stream-name", Uuid(id), "--start-from-head"))!;
        var lines = events["events"]!.AsArray().Select(e => (string)e!["message"]!).ToList();
        Assert.Contains(lines, l => l.Contains("hello from the agent", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Running on Cairn agent", StringComparison.Ordinal));
        // The role's secret key reached the build, masked in its log.
        Assert.Contains(lines, l => l.Contains("key=***", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("hello from the agent", StringComparison.Ordinal) && !l.Contains("echo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_agent_with_the_kubernetes_executor_runs_the_build_as_a_Job_with_the_role_keys_only_in_its_Secret()
    {
        using var cluster = new Cairn.Runner.Tests.Kubernetes.FakeBatchApiServer();
        var kubeconfig = Path.Combine(_data, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, cluster.Kubeconfig);
        await ProjectAsync("pods", "k8s", "echo hello from the pod; echo key=$AWS_SECRET_ACCESS_KEY");
        var client = await RegisterAsync(["k8s"]);
        using var jobs = Cairn.Runner.Kubernetes.KubernetesBuildJobs.Connect(
            new Cairn.Runner.Kubernetes.KubernetesExecutorSettings(kubeconfig, "ci", client.AgentId) { PollInterval = TimeSpan.FromMilliseconds(50) });
        StartAgent(client, new BuildAgentSettings(_server.Endpoint, Path.Combine(_data, "agent-" + client.AgentId))
        {
            Executor = AgentExecutor.Kubernetes,
            Pod = new Cairn.Runner.Kubernetes.KubernetesPlacement(jobs),
        });

        var id = await StartBuildAsync("pods");
        var build = await WaitForAsync(id, b => b.IsComplete);

        var lines = await LogAsync(id);
        Assert.True(build.Status == BuildStatuses.Succeeded, string.Join('\n', lines));
        Assert.Contains(lines, l => l.Contains("Kubernetes Job of", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("hello from the pod", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("key=***", StringComparison.Ordinal));
        var job = cluster.Requests.Single(r => r.Method == "POST" && r.Path.EndsWith("/jobs", StringComparison.Ordinal)).Body!;
        var secret = cluster.Requests.Single(r => r.Method == "POST" && r.Path.EndsWith("/secrets", StringComparison.Ordinal)).Body!;
        Assert.Contains("\"cairn.dev/owner\":\"" + client.AgentId, job, StringComparison.Ordinal);
        Assert.DoesNotContain("AWS_SECRET_ACCESS_KEY", job, StringComparison.Ordinal);
        Assert.Contains("AWS_SECRET_ACCESS_KEY", secret, StringComparison.Ordinal);
        Assert.Empty(cluster.Objects("secrets"));
    }

    [Fact]
    public async Task An_agent_without_the_builds_labels_never_claims_it()
    {
        await ProjectAsync("gpu-app", "gpu", "echo on a gpu");
        var linux = await RegisterAsync(["linux"]);

        var id = await StartBuildAsync("gpu-app");
        var claimed = await linux.ClaimAsync(default);

        Assert.Null(claimed);
        Assert.True((await Store.FindBuildAsync(Uuid(id), default))!.IsQueued);
        StartAgent(await RegisterAsync(["gpu", "linux"]));
        Assert.Equal(BuildStatuses.Succeeded, (await WaitForAsync(id, b => b.IsComplete)).Status);
    }

    [Fact]
    public async Task A_stale_lease_token_is_refused_and_a_retried_log_chunk_is_not_duplicated()
    {
        await ProjectAsync("app", "linux", "echo hi");
        var agent = await RegisterAsync(["linux"]);
        var id = await StartBuildAsync("app");
        var build = (await agent.ClaimAsync(default))!;
        var now = DateTimeOffset.UtcNow;
        var chunk = new AgentLogChunk(build.LeaseToken, 0, [new AgentLogLine("one", now), new AgentLogLine("two", now)]);

        await agent.SendLogAsync(build.Uuid, chunk, default);
        await agent.SendLogAsync(build.Uuid, chunk with { Lines = [.. chunk.Lines, new AgentLogLine("three", now)] }, default);
        var stale = await Assert.ThrowsAsync<AgentRequestException>(() =>
            agent.HeartbeatAsync(build.Uuid, new AgentHeartbeat("not-the-lease", []), default));
        var staleLog = await Assert.ThrowsAsync<AgentRequestException>(() =>
            agent.SendLogAsync(build.Uuid, chunk with { LeaseToken = "not-the-lease", Offset = 3 }, default));

        Assert.Equal((409, "LeaseLost"), (stale.Status, stale.Code));
        Assert.Equal(409, staleLog.Status);
        var log = await LogAsync(id);
        Assert.Equal(["one", "two", "three"], log);
        Assert.Equal(Uuid(id), build.Uuid);
    }

    [Fact]
    public async Task A_build_whose_agent_stops_heartbeating_fails_after_the_lease_and_the_agent_can_change_nothing_after()
    {
        await ProjectAsync("app", "linux", "echo hi");
        var agent = await RegisterAsync(["linux"]);
        var id = await StartBuildAsync("app");
        // The agent claims the build and then dies: nothing more comes from it.
        var build = (await agent.ClaimAsync(default))!;

        var failed = await WaitForAsync(id, b => b.IsComplete);
        var late = await Assert.ThrowsAsync<AgentRequestException>(() => agent.CompleteAsync(build.Uuid,
            new AgentCompletion(build.LeaseToken, BuildStatuses.Succeeded, [], []), default));

        Assert.Equal(BuildStatuses.Failed, failed.Status);
        var context = failed.Phases.Single(p => p.PhaseType == BuildPhaseTypes.Provisioning).Contexts!.Single();
        Assert.Equal(BuildAgentService.LostCode, context.StatusCode);
        Assert.Contains(agent.AgentId, context.Message, StringComparison.Ordinal);
        Assert.True(late.IsLeaseLost);
        Assert.Equal(BuildStatuses.Failed, (await Store.FindBuildAsync(build.Uuid, default))!.Status);
        // The lease sweep completes the build first and then appends the reason to its log: wait for the line.
        var lost = await LogAsync(id);
        for (var waited = 0; waited < 50 && !lost.Exists(l => l.Contains(BuildAgentService.LostCode, StringComparison.Ordinal)); waited++)
        {
            await Task.Delay(100);
            lost = await LogAsync(id);
        }

        Assert.Contains(lost, l => l.Contains(BuildAgentService.LostCode, StringComparison.Ordinal));
        Assert.Null(await agent.ClaimAsync(default));
    }

    [Fact]
    public async Task StopBuild_stops_a_build_an_agent_runs()
    {
        await ProjectAsync("app", "linux", "echo started; sleep 60; echo never");
        StartAgent(await RegisterAsync(["linux"]));
        var id = await StartBuildAsync("app");
        await WaitForAsync(id, b => b.CurrentPhase == BuildPhaseTypes.Build);

        await CodeBuild.InvokeAsync("StopBuild", new JsonObject { ["id"] = id }, Root, default);
        var stopped = await WaitForAsync(id, b => b.IsComplete);

        Assert.Equal(BuildStatuses.Stopped, stopped.Status);
        Assert.DoesNotContain(await LogAsync(id), l => l.Contains("never", StringComparison.Ordinal) && !l.Contains("echo", StringComparison.Ordinal));
        Assert.True(stopped.EndTime - stopped.StartTime < TimeSpan.FromSeconds(30), "the build stopped well before its sleep ended");
    }

    [Fact]
    public async Task An_agent_builds_artifacts_and_reports_reach_the_server_and_its_cache_is_kept_for_the_next_build()
    {
        const string Buildspec = """
            version: 0.2
            phases:
              build:
                commands:
                  - echo "cache had $(cat deps/lib.txt 2>/dev/null || echo nothing)"
                  - mkdir -p deps dist/assets reports && echo "fetched $CODEBUILD_BUILD_NUMBER" > deps/lib.txt
                  - echo site > dist/index.html && echo css > dist/assets/app.css
                  - printf '<testsuite name="calc"><testcase classname="Calc" name="adds"/><testcase classname="Calc" name="divides"><failure message="expected 2"/></testcase></testsuite>' > reports/junit.xml
            artifacts:
              base-directory: dist
              files:
                - '**/*'
            reports:
              unit:
                files:
                  - reports/junit.xml
            cache:
              paths:
                - 'deps/**/*'
            """;
        await GrantReportsAsync();
        await ProjectAsync("web", "linux", Buildspec, """{"type":"S3","location":"bucket"}""", """{"type":"LOCAL","modes":["LOCAL_CUSTOM_CACHE"]}""");
        StartAgent(await RegisterAsync(["linux"]));

        var first = await StartBuildAsync("web");
        var built = await WaitForAsync(first, b => b.IsComplete);
        var second = await StartBuildAsync("web");
        var rebuilt = await WaitForAsync(second, b => b.IsComplete);

        Assert.True(built.Status == BuildStatuses.Succeeded, string.Join('\n', await LogAsync(first)));
        Assert.Equal(BuildStatuses.Succeeded, rebuilt.Status);
        // The artifacts are the server's now, where its own builds keep theirs: the build page lists and serves them.
        var files = (await _server.Services.GetRequiredService<BuildFileService>().FindAsync(Root, first, default))!;
        Assert.Equal(["assets/app.css", "index.html"], files.Artifacts.Select(a => a.Path[(a.Path.IndexOf('/', StringComparison.Ordinal) + 1)..]).Order(StringComparer.Ordinal));
        var download = await _server.Services.GetRequiredService<BuildFileService>().OpenArtifactAsync(Root, first, files.Artifacts.Single(a => a.Path.EndsWith("index.html", StringComparison.Ordinal)).Path, default);
        using (var reader = new StreamReader(download.Content))
        {
            Assert.Equal("site\n", await reader.ReadToEndAsync());
        }

        // The report was stored as the build's role, as the server's own builds store theirs.
        var batch = JsonNode.Parse(await AwsAsync("codebuild", "batch-get-builds", "--ids", first))!["builds"]![0]!;
        var reportArn = Assert.Single(batch["reportArns"]!.AsArray())!.GetValue<string>();
        var report = JsonNode.Parse(await AwsAsync("codebuild", "batch-get-reports", "--report-arns", reportArn))!["reports"]![0]!;
        Assert.Equal(("FAILED", 2, 1), (report["status"]!.GetValue<string>(), report["testSummary"]!["total"]!.GetValue<int>(), report["testSummary"]!["statusCounts"]!["FAILED"]!.GetValue<int>()));
        // The first build found no cache; the second found what the first saved on this agent.
        Assert.Contains(await LogAsync(first), l => l.EndsWith("cache had nothing", StringComparison.Ordinal));
        Assert.Contains(await LogAsync(second), l => l.EndsWith("cache had fetched 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pipeline_build_on_an_agent_gets_its_input_artifacts_and_stores_its_output_artifact()
    {
        const string Buildspec = """
            version: 0.2
            phases:
              build:
                commands:
                  - test -x run.sh && ./run.sh > result.txt
                  - cat "$CODEBUILD_SRC_DIR_Config/settings.ini" >> result.txt
            artifacts:
              files:
                - result.txt
            """;
        var store = _server.Services.GetRequiredService<Cairn.Storage.Artifacts.IArtifactStore>();
        var source = Directory.CreateTempSubdirectory("cairn-agent-input-").FullName;
        var config = Directory.CreateTempSubdirectory("cairn-agent-config-").FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "run.sh"), "#!/bin/sh\necho built from the pipeline input\n");
        File.SetUnixFileMode(Path.Combine(source, "run.sh"), (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(config, "settings.ini"), "mode=release\n");
        var sourceArtifact = await store.PutDirectoryAsync("pipe-store", "pipe/exec/SourceArtifact", source, default);
        var configArtifact = await store.PutDirectoryAsync("pipe-store", "pipe/exec/Config", config, default);
        await ProjectAsync("packager", "linux", Buildspec, """{"type":"CODEPIPELINE"}""", sourceType: "CODEPIPELINE");
        StartAgent(await RegisterAsync(["linux"]));

        var started = await _server.Services.GetRequiredService<BuildService>().StartBuildAsync(Root, new StartBuildRequest("packager")
        {
            Pipeline = new PipelineBuild("pipe",
                [new PipelineArtifact("SourceArtifact", sourceArtifact.Store, sourceArtifact.Key), new PipelineArtifact("Config", configArtifact.Store, configArtifact.Key)],
                [new PipelineArtifact("BuildArtifact")], "pipe-store", "pipe/exec"),
        }, default);
        var build = await WaitForAsync(started.Id, b => b.IsComplete);

        var lines = await LogAsync(started.Id);
        Assert.True(build.Status == BuildStatuses.Succeeded, string.Join('\n', lines));
        Assert.Contains(lines, l => l.Contains("Downloaded input artifact Config", StringComparison.Ordinal));
        var output = Assert.Single(build.Pipeline!.Outputs);
        Assert.NotNull(output.Key);
        var extracted = Directory.CreateTempSubdirectory("cairn-agent-output-").FullName;
        await store.ExtractAsync(new Cairn.Storage.Artifacts.ArtifactLocation(output.Store!, output.Key!), extracted, default);
        Assert.Equal("built from the pipeline input\nmode=release\n", await File.ReadAllTextAsync(Path.Combine(extracted, "result.txt")));
        foreach (var directory in new[] { source, config, extracted })
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_artifacts_upload_that_is_not_a_safe_archive_or_comes_without_the_lease_is_refused()
    {
        await ProjectAsync("app", "linux", "echo hi");
        var agent = await RegisterAsync(["linux"]);
        await StartBuildAsync("app");
        var build = (await agent.ClaimAsync(default))!;
        var outside = Directory.CreateTempSubdirectory("cairn-agent-evil-").FullName;
        Directory.CreateDirectory(Path.Combine(outside, "a"));
        File.CreateSymbolicLink(Path.Combine(outside, "a", "escape"), "../../../../etc");

        var stale = await Assert.ThrowsAsync<AgentRequestException>(() => agent.UploadArtifactsAsync(build.Uuid, "not-the-lease", outside, default));
        var unsafeLink = await Assert.ThrowsAsync<AgentRequestException>(() => agent.UploadArtifactsAsync(build.Uuid, build.LeaseToken, outside, default));
        var missing = await Assert.ThrowsAsync<AgentRequestException>(() =>
            agent.DownloadInputAsync(build.Uuid, new AgentInputRequest(build.LeaseToken, "SourceArtifact"), Path.Combine(outside, "in"), default));

        Assert.Equal((409, "LeaseLost"), (stale.Status, stale.Code));
        Assert.Equal((400, "InvalidArtifactArchive"), (unsafeLink.Status, unsafeLink.Code));
        Assert.Contains("outside the directory", unsafeLink.Message, StringComparison.Ordinal);
        Assert.Equal((404, "ResourceNotFoundException"), (missing.Status, missing.Code));
        Assert.False(Directory.Exists(_server.Services.GetRequiredService<Cairn.Application.Builds.Execution.BuildWorkspaces>().ArtifactsOf(build.Uuid)));
        Directory.Delete(outside, recursive: true);
    }

    [Fact]
    public async Task A_log_writer_left_by_an_agent_that_finished_its_build_through_another_server_is_closed_by_the_sweep()
    {
        await ProjectAsync("app", "linux", "echo hi");
        var agent = await RegisterAsync(["linux"]);
        var id = await StartBuildAsync("app");
        var build = (await agent.ClaimAsync(default))!;
        await agent.SendLogAsync(build.Uuid, new AgentLogChunk(build.LeaseToken, 0, [new AgentLogLine("first line", DateTimeOffset.UtcNow)]), default);

        await Agents.CloseFinishedLogsAsync(default);
        var whileRunning = Agents.OpenLogWriters;
        // Another server took the agent's completion: the build is complete in the store, and this server was not told.
        await Store.UpdateClaimedBuildAsync(build.Uuid, AgentRunners.Runner(agent.AgentId, build.LeaseToken), DateTimeOffset.UtcNow,
            b => b.Complete(BuildStatuses.Succeeded, DateTimeOffset.UtcNow, BuildStatuses.Succeeded), default);
        await Agents.CloseFinishedLogsAsync(default);

        Assert.Equal(1, whileRunning);
        Assert.Equal(0, Agents.OpenLogWriters);
        Assert.Equal(["first line"], await LogAsync(id));
    }

    private async Task GrantReportsAsync()
    {
        var iam = _server.Services.GetServices<IQueryService>().Single(s => s.SigningName == "iam");
        await iam.InvokeAsync("PutRolePolicy", new Dictionary<string, string>
        {
            ["RoleName"] = "agent-build",
            ["PolicyName"] = "reports",
            ["PolicyDocument"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codebuild:CreateReportGroup","codebuild:CreateReport","codebuild:UpdateReport","codebuild:BatchPutTestCases"],"Resource":"*"}]}""",
        }, Root, default);
    }

    private async Task<AgentClient> RegisterAsync(IReadOnlyList<string> labels)
    {
        var token = await Agents.CreateRegistrationTokenAsync(Root, default);
        var registration = await AgentClient.RegisterAsync(_http, _server.Endpoint, new AgentRegistrationRequest(token, "test", labels), default);
        return new AgentClient(_http, _server.Endpoint, registration.AgentId, registration.AgentSecret);
    }

    private void StartAgent(AgentClient client, BuildAgentSettings? settings = null)
    {
        var stop = new CancellationTokenSource();
        var host = new BuildAgentHost(client, settings ?? new BuildAgentSettings(_server.Endpoint, Path.Combine(_data, "agent-" + client.AgentId)), new BuildExecutor(), _ => { });
        _agents.Add((Task.Run(() => host.RunAsync(stop.Token)), stop));
    }

    private Task ProjectAsync(string name, string labels, string command) =>
        ProjectAsync(name, labels, $"version: 0.2\nphases:\n  build:\n    commands:\n      - {command}\n", """{"type":"NO_ARTIFACTS"}""");

    private Task ProjectAsync(string name, string labels, string buildspec, string artifacts, string cache = """{"type":"NO_CACHE"}""", string sourceType = "NO_SOURCE") =>
        CodeBuild.InvokeAsync("CreateProject", (JsonObject)JsonNode.Parse($$"""
        {"name":"{{name}}","source":{"type":"{{sourceType}}","buildspec":{{JsonValue.Create(buildspec).ToJsonString()}}},
         "artifacts":{{artifacts}},
         "cache":{{cache}},
         "environment":{"type":"LINUX_EC2","image":"host","computeType":"BUILD_GENERAL1_SMALL",
           "environmentVariables":[{"name":"CAIRN_AGENT_LABELS","value":"{{labels}}"}]},
         "serviceRole":"{{Role}}"}
        """)!, Root, default);

    private async Task<string> StartBuildAsync(string project) =>
        (string)(await CodeBuild.InvokeAsync("StartBuild", new JsonObject { ["projectName"] = project }, Root, default))["build"]!["id"]!;

    private static string Uuid(string id) => id[(id.LastIndexOf(':') + 1)..];

    private async Task<BuildRecord> WaitForAsync(string id, Func<BuildRecord, bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var build = await Store.FindBuildAsync(Uuid(id), default);
            if (build is not null && condition(build))
            {
                return build;
            }

            Assert.False(deadline.IsCancellationRequested, $"build {id} never got there; it is {build?.Status} in {build?.CurrentPhase}");
            await Task.Delay(50);
        }
    }

    private async Task<List<string>> LogAsync(string id)
    {
        var page = await _server.Services.GetRequiredService<Cairn.Storage.BuildLogs.IBuildLogStore>()
            .ReadAsync(Uuid(id), new Cairn.Storage.BuildLogs.BuildLogRange { Limit = 10_000 }, default);
        return [.. page.Events.Select(e => e.Message.TrimEnd('\n'))];
    }

    /// <summary>The real aws CLI against the server, as root.</summary>
    private Task<string> AwsAsync(params string[] arguments) => AwsCli.RunAsync(_server.Endpoint, Region, (RootKey, RootSecret), arguments);
}
