using System.Text.Json.Nodes;
using Cairn.Application.Pipelines;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Services.CodePipeline;
using Cairn.Server.Tests.CodeBuild;
using Cairn.Server.Tests.Ssm;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Pipelines;

namespace Cairn.Server.Tests.CodePipeline;

/// <summary>A CodePipelineService over a real SQLite file, a recording authorizer and a manual clock.</summary>
public abstract class CodePipelineFixture : IDisposable
{
    protected const string Account = "000000000000";
    protected const string Region = "us-east-1";
    protected const string Role = "arn:aws:iam::000000000000:role/codepipeline-flask-app";

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-codepipeline-").FullName;
    private readonly SqliteDatabase _database;

    protected CodePipelineFixture()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [PipelineMigrations.Set]);
        Service = new CodePipelineService(new PipelineService(new SqlitePipelineStore(_database), Authorizer, Time));
    }

    internal static DateTimeOffset Start { get; } = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal TestClock Time { get; } = new(Start);

    internal RecordingAuthorizer Authorizer { get; } = new();

    internal CodePipelineService Service { get; }

    protected static string PipelineArn(string name) => $"arn:aws:codepipeline:{Region}:{Account}:{name}";

    /// <summary>The user's story (examples/flask-app/pipeline.json): the CreatePipeline input, pipeline and tags.</summary>
    protected static JsonObject StoryInput() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "flask-app-pipeline.json")))!.AsObject();

    /// <summary>The story's pipeline declaration, to change before creating it.</summary>
    protected static JsonObject Story() => StoryInput()["pipeline"]!.DeepClone().AsObject();

    protected static JsonObject Stage(JsonObject pipeline, string name) =>
        pipeline["stages"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == name)!.AsObject();

    protected static JsonObject Action(JsonObject pipeline, string stage, string name) =>
        Stage(pipeline, stage)["actions"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == name)!.AsObject();

    protected static JsonObject TypeId(string category, string provider, string owner = "AWS") =>
        new() { ["category"] = category, ["owner"] = owner, ["provider"] = provider, ["version"] = "1" };

    protected static JsonArray Artifacts(params string[] names) => new(names.Select(n => (JsonNode)new JsonObject { ["name"] = n }).ToArray());

    private static RequestContext Context() =>
        new(new Principal(PrincipalKind.User, Account, "arn:aws:iam::000000000000:user/ci", "AIDAEXAMPLE", "ci"), Region, "req-1", "127.0.0.1", DateTimeOffset.UtcNow);

    protected Task<JsonObject> CallAsync(string operation, JsonObject input) => Service.InvokeAsync(operation, input, Context(), CancellationToken.None);

    protected Task<JsonObject> CreateAsync(JsonObject pipeline) => CallAsync("CreatePipeline", new JsonObject { ["pipeline"] = pipeline });

    protected async Task<AwsException> FailsAsync(string operation, JsonObject input) =>
        await Assert.ThrowsAsync<AwsException>(() => CallAsync(operation, input));

    /// <summary>Creating <paramref name="pipeline"/> fails, and nothing of it was stored.</summary>
    protected async Task<AwsException> CreateFailsAsync(JsonObject pipeline)
    {
        var error = await FailsAsync("CreatePipeline", new JsonObject { ["pipeline"] = pipeline });
        var listed = await CallAsync("ListPipelines", []);
        Assert.Empty(listed["pipelines"]!.AsArray());
        return error;
    }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}
