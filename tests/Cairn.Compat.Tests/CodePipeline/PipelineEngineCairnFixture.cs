using Cairn.Application.Pipelines.Actions;
using Cairn.Compat.Tests.Infrastructure;
using Cairn.Core.Pipelines;
using Cairn.Server.Hosting;
using Cairn.Storage.Artifacts;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Compat.Tests.CodePipeline;

/// <summary>
/// An in-process Cairn server like <see cref="CairnFixture"/>'s, with one runner registered only here: a source that
/// "fetches" at once (the real git Source runner is another module's). Everything else is the real server: the engine,
/// the role session, approvals.
/// </summary>
public sealed class PipelineEngineCairnFixture : IAsyncLifetime
{
    private CairnServer? _server;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("cairn-compat-engine-").FullName;

    public string Endpoint => _server!.Endpoint.ToString().TrimEnd('/');

    public async Task InitializeAsync() =>
        _server = await CairnServer.StartAsync(
            new CairnServerOptions { DataDirectory = DataDirectory, Port = 0, RootAccessKeyId = CairnFixture.RootKeyId, RootSecretAccessKey = CairnFixture.RootSecret },
            services => services.AddSingleton<IPipelineActionRunner, TestSourceRunner>());

    public Task<ProcessResult> Aws(params string[] arguments) =>
        ClientProcess.RunAsync(ClientProcess.AwsCli, ["--endpoint-url", Endpoint, "--output", "json", .. arguments], new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = CairnFixture.RootKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret,
            ["AWS_DEFAULT_REGION"] = "us-east-1",
        });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>A source action that succeeds at once with commit "0123abc" (it checks that it runs as the pipeline's role).</summary>
    private sealed class TestSourceRunner : IPipelineActionRunner
    {
        public bool CanRun(ActionTypeId type) => type.Category == ActionTypes.Source;

        public Task<ActionOutcome> RunAsync(ActionRun run, IActionProgress progress, CancellationToken cancellationToken)
        {
            if (!run.Role.Principal.Arn.Contains(":assumed-role/", StringComparison.Ordinal))
            {
                return Task.FromResult(ActionOutcome.Failure("PermissionError", $"the source ran as {run.Role.Principal.Arn}, not the pipeline's role"));
            }

            var outputs = run.OutputArtifactNames.Select(n => new ActionArtifact(n, new ArtifactLocation(run.ArtifactStore, $"{run.ArtifactKeyPrefix}/{n}.tar"))).ToList();
            return Task.FromResult(ActionOutcome.Success(
                "fetched", outputs, new Dictionary<string, string> { ["CommitId"] = "0123abc" }, revision: new ArtifactRevision("0123abc", "the test commit", null, null)));
        }
    }
}
