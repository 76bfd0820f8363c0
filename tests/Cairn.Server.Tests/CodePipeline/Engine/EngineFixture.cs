using System.Text.Json.Nodes;
using Cairn.Application.Pipelines.Actions;
using Cairn.Application.Pipelines.Executions;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Executions;
using Cairn.Server.Tests.CodeBuild;
using Cairn.Storage.Artifacts;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Pipelines;

namespace Cairn.Server.Tests.CodePipeline.Engine;

/// <summary>A PipelineEngine over a real SQLite file, fake runners (a held Build/Deploy runner, an instant source) and a manual clock.</summary>
public abstract class EngineFixture : IAsyncLifetime
{
    internal static readonly PipelineScope Scope = new("000000000000", "us-east-1");
    internal const string Role = "arn:aws:iam::000000000000:role/pipeline-role";

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-engine-").FullName;
    private readonly List<PipelineEngine> _engines = [];

    protected EngineFixture()
    {
        Database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [PipelineMigrations.Set, PipelineExecutionMigrations.Set]);
        Pipelines = new SqlitePipelineStore(Database);
        Executions = new SqlitePipelineExecutionStore(Database);
        Engine = NewEngine();
    }

    internal SqliteDatabase Database { get; }

    internal SqlitePipelineStore Pipelines { get; }

    internal SqlitePipelineExecutionStore Executions { get; }

    internal TestClock Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    internal FakeRoleAssumer Roles { get; } = new();

    internal InstantSourceRunner Source { get; } = new();

    internal HeldRunner Held { get; private set; } = new("CodeBuild", "ECS");

    internal PipelineEngine Engine { get; private set; }

    /// <summary>A fresh engine over the same database and new runners (a restarted server); with <paramref name="artifacts"/>, rollbacks check their inputs there.</summary>
    internal PipelineEngine NewEngine(PipelineEngineOptions? options = null, IArtifactStore? artifacts = null, params IPipelineActionRunner[] extra)
    {
        Held = new HeldRunner("CodeBuild", "ECS");
        var engine = new PipelineEngine(Pipelines, Executions, [Source, Held, .. extra], new PipelineRoleSessions(Roles, Clock), Clock, options, artifacts);
        _engines.Add(engine);
        Engine = engine;
        return engine;
    }

    internal static JsonObject Build(string name, int runOrder = 1, string input = "Src", string? output = null, string? ns = null, JsonObject? configuration = null) => new()
    {
        ["name"] = name,
        ["actionTypeId"] = new JsonObject { ["category"] = "Build", ["owner"] = "AWS", ["provider"] = "CodeBuild", ["version"] = "1" },
        ["runOrder"] = runOrder,
        ["configuration"] = configuration ?? new JsonObject { ["ProjectName"] = "web" },
        ["inputArtifacts"] = new JsonArray(new JsonObject { ["name"] = input }),
        ["outputArtifacts"] = output is null ? new JsonArray() : new JsonArray(new JsonObject { ["name"] = output }),
        ["namespace"] = ns,
    };

    internal static JsonObject Approval(string name = "Manual", int? timeoutInMinutes = null) => new()
    {
        ["name"] = name,
        ["actionTypeId"] = new JsonObject { ["category"] = "Approval", ["owner"] = "AWS", ["provider"] = "Manual", ["version"] = "1" },
        ["runOrder"] = 1,
        ["configuration"] = new JsonObject { ["CustomData"] = "Ship it?", ["ExternalEntityLink"] = "http://example.test/diff" },
        ["timeoutInMinutes"] = timeoutInMinutes,
    };

    internal static JsonObject Stage(string name, params JsonObject[] actions) => new() { ["name"] = name, ["actions"] = new JsonArray(actions) };

    /// <summary>Stores a V2 pipeline: a Source stage (one instant source action, namespace SourceVariables, output Src) and <paramref name="stages"/>.</summary>
    internal async Task<PipelineRecord> PipelineAsync(string name, string mode, JsonArray? variables, params JsonObject[] stages)
    {
        var source = new JsonObject
        {
            ["name"] = "Fetch",
            ["actionTypeId"] = new JsonObject { ["category"] = "Source", ["owner"] = "AWS", ["provider"] = "CodeStarSourceConnection", ["version"] = "1" },
            ["runOrder"] = 1,
            ["configuration"] = new JsonObject { ["ConnectionArn"] = "arn:aws:codeconnections:us-east-1:000000000000:connection/c", ["FullRepositoryId"] = "a/b", ["BranchName"] = "main" },
            ["outputArtifacts"] = new JsonArray(new JsonObject { ["name"] = "Src" }),
            ["inputArtifacts"] = new JsonArray(),
            ["namespace"] = "SourceVariables",
        };
        var declaration = new JsonObject
        {
            ["name"] = name,
            ["roleArn"] = Role,
            ["artifactStore"] = new JsonObject { ["type"] = "S3", ["location"] = "artifacts" },
            ["stages"] = new JsonArray([Stage("Source", source), .. stages]),
            ["pipelineType"] = "V2",
            ["executionMode"] = mode,
        };
        if (variables is not null)
        {
            declaration["variables"] = variables;
        }

        var normalized = PipelineDeclarations.Normalize(declaration);
        var record = new PipelineRecord(Scope, name, normalized.ToJsonString(), 1, Clock.GetUtcNow(), Clock.GetUtcNow(), []);
        Assert.True(await Pipelines.CreateAsync(record, CancellationToken.None));
        return record;
    }

    internal Task<PipelineExecution> StartAsync(PipelineRecord pipeline, IReadOnlyDictionary<string, string>? variables = null) =>
        Engine.StartAsync(pipeline, new ExecutionTriggerRecord("StartPipelineExecution", "arn:aws:iam::000000000000:root", []),
            variables ?? new Dictionary<string, string>(), null, CancellationToken.None);

    internal Task<PipelineExecution> GetAsync(PipelineExecution execution) => GetAsync(execution.PipelineName, execution.ExecutionId);

    internal async Task<PipelineExecution> GetAsync(string pipeline, string executionId) =>
        (await Executions.GetAsync(Scope, pipeline, executionId, CancellationToken.None))!;

    /// <summary>Waits (up to 30 s) until the stored execution satisfies <paramref name="condition"/>; the state it reached.</summary>
    internal async Task<PipelineExecution> UntilAsync(PipelineExecution execution, Func<PipelineExecution, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var current = await GetAsync(execution);
            if (condition(current))
            {
                return current;
            }

            Assert.True(DateTime.UtcNow < deadline, $"execution {execution.ExecutionId} never got there; it is {current.Status}, in {current.CurrentStage?.StageName ?? "-"}, waiting for {current.WaitingForStage ?? "-"}");
            await Task.Delay(10);
        }
    }

    internal Task<PipelineExecution> UntilStatusAsync(PipelineExecution execution, string status) => UntilAsync(execution, e => e.Status == status);

    internal static ActionExecution Action(PipelineExecution execution, string name) => execution.Actions.Last(a => a.ActionName == name);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }

        Database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
