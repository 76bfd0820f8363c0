using System.Text.Json.Nodes;
using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Application.Builds.Queue;
using Cairn.Core.Builds;
using Cairn.Core.Identity;
using Cairn.Runner.Builds;
using Cairn.Server.Hosting;
using Cairn.Server.Services.CodeBuild.Queue;
using Cairn.Storage.BuildLogs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Server.Tests.CodeBuild;

/// <summary>The CodeBuild service with its worker pool running builds through a fake runner and a fake STS.</summary>
public abstract class WorkerFixture : CodeBuildFixture, IAsyncLifetime
{
    private readonly CancellationTokenSource _stopping = new();

    protected WorkerFixture()
    {
        Job = new BuildOrchestrator(Store, Queue, Logs, LogStore, Workspaces, BuildFiles, Runner, Roles, Endpoint, Options, new HostSandboxes(Workspaces, Options),
            new NoSecrets(), new PipelineArtifacts(new Storage.Files.FileArtifactStore(Path.Combine(DataDirectory, "artifacts")), Store),
            new Application.Builds.Reports.BuildReportRecorder(ReportStore, Authorizer, Time), Time, NullLogger<BuildOrchestrator>.Instance);
        Pool = new BuildWorkerPool(Store, Queue, Job, Logs, Options with { QueueSweepInterval = TimeSpan.FromDays(1) }, Time, NullLogger<BuildWorkerPool>.Instance);
    }

    internal FakeBuildExecutor Runner { get; } = new();

    /// <summary>Remembers who each build would read its parameters as; the fake executor reads none.</summary>
    private sealed class NoSecrets : IBuildSecretSources
    {
        public IBuildSecretSource For(RequestContext role) => new RoleOnlySource(role);
    }

    internal sealed class RoleOnlySource(RequestContext role) : IBuildSecretSource
    {
        public RequestContext Role => role;

        public Task<ParameterLookup> GetParametersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the fake executor reads no parameters");

        public Task<string?> FindCustomerKeyArnAsync(string name, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

        public Task<IReadOnlyList<string>> ListParameterNamesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
    }

    internal FakeRoleAssumer Roles { get; } = new();

    internal BuildOrchestrator Job { get; }

    internal BuildWorkerPool Pool { get; }

    public virtual Task InitializeAsync() => Pool.StartAsync(_stopping.Token);

    public async Task DisposeAsync()
    {
        await Pool.StopAsync(CancellationToken.None);
        Pool.Dispose();
        _stopping.Dispose();
    }

    protected async Task<string> StartBuildAsync(string json = """{"projectName":"app"}""") => (await StartAsync(json))["id"]!.GetValue<string>();

    protected static string Uuid(string id) => id[(id.LastIndexOf(':') + 1)..];

    /// <summary>Waits (up to a minute, then fails) until the stored build satisfies <paramref name="condition"/>.</summary>
    protected async Task<BuildRecord> WaitForAsync(string id, Func<BuildRecord, bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var build = await Store.FindBuildAsync(Uuid(id), CancellationToken.None);
            if (build is not null && condition(build))
            {
                return build;
            }

            Assert.False(deadline.IsCancellationRequested, $"build {id} never got there; it is {build?.Status} in {build?.CurrentPhase}");
            await Task.Delay(20);
        }
    }

    protected Task<BuildRecord> WaitForCompletionAsync(string id) => WaitForAsync(id, b => b.IsComplete);

    protected string LogOf(string id) =>
        string.Concat(Logs.ReadAsync(Uuid(id), new BuildLogRange(), CancellationToken.None).AsTask().GetAwaiter().GetResult().Events.Select(e => e.Message));

    protected Task<JsonObject> InlineProjectAsync(string buildspec, string name = "app", string environment = "LINUX_EC2", string extra = "") =>
        CallAsync("CreateProject", $$"""
            {"name":"{{name}}","source":{"type":"NO_SOURCE","buildspec":{{JsonValue.Create(buildspec).ToJsonString()}}},"artifacts":{"type":"NO_ARTIFACTS"},
             "environment":{"type":"{{environment}}","image":"host","computeType":"BUILD_GENERAL1_SMALL"},"serviceRole":"{{Role}}"{{extra}}}
            """);
}
