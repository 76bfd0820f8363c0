using System.Text.Json.Nodes;
using Cairn.Core.Builds;
using Cairn.Server.Hosting;
using Cairn.Server.Services.CodeBuild.Execution;
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
        var server = new CairnServerOptions { DataDirectory = DataDirectory };
        Job = new BuildJob(Store, Queue, Logs, Workspaces, Runner, Roles, Endpoint, Options, new HostSandboxes(server, Options), server, Time, NullLogger<BuildJob>.Instance);
        Pool = new BuildWorkerPool(Store, Queue, Job, Logs, Options with { QueueSweepInterval = TimeSpan.FromDays(1) }, Time, NullLogger<BuildWorkerPool>.Instance);
    }

    internal FakeBuildRunner Runner { get; } = new();

    internal FakeRoleAssumer Roles { get; } = new();

    internal BuildJob Job { get; }

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
