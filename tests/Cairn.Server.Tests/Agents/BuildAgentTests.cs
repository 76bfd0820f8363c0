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

    private Task ProjectAsync(string name, string labels, string command) => CodeBuild.InvokeAsync("CreateProject", (JsonObject)JsonNode.Parse($$"""
        {"name":"{{name}}","source":{"type":"NO_SOURCE","buildspec":{{JsonValue.Create($"version: 0.2\nphases:\n  build:\n    commands:\n      - {command}\n").ToJsonString()}}},
         "artifacts":{"type":"NO_ARTIFACTS"},
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
