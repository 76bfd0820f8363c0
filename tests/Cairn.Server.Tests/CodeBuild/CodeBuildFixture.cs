using System.Text.Json.Nodes;
using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Hosting;
using Cairn.Server.Services.CodeBuild;
using Cairn.Server.Services.CodeBuild.Queue;
using Cairn.Server.Tests.Ssm;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Files;
using Cairn.Storage.Logs;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Builds;
using Cairn.Storage.Sqlite.Logs;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.CodeBuild;

/// <summary>A CodeBuildService over a real SQLite file, a recording authorizer and a manual clock; no workers run.</summary>
public abstract class CodeBuildFixture : IDisposable
{
    protected const string Account = "000000000000";
    protected const string Region = "us-east-1";
    protected const string Role = "arn:aws:iam::000000000000:role/codebuild-service-role";

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-codebuild-").FullName;
    private readonly SqliteDatabase _database;
    private readonly ServiceProvider _provider = new ServiceCollection().BuildServiceProvider();

    protected CodeBuildFixture()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [SqliteBuildStore.Migrations, LogMigrations.Set, Storage.Sqlite.Reports.ReportMigrations.Set]);
        Store = new SqliteBuildStore(_database);
        LogStore = new SqliteLogStore(_database);
        Endpoint = new ServerEndpoint(_provider, Options);
        Workspaces = new BuildWorkspaces(_directory, Options);
        Logs = new FileBuildLogStore(Workspaces.Root);
        BuildFiles = new FileBuildFileStore(Workspaces.Root);
        ReportStore = new Storage.Sqlite.Reports.SqliteReportStore(_database);
        Reports = new Application.Builds.Reports.ReportService(ReportStore, Authorizer, Time);
        Service = new CodeBuildService(Store, Authorizer, new BuildService(Store, Authorizer, Queue, Time, Logs), Reports, Logs, Workspaces, BuildFiles, Endpoint, Time);
    }

    internal TestClock Time { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    internal CodeBuildOptions Options { get; } = new() { Endpoint = "http://127.0.0.1:4566", MaxConcurrentBuilds = 1, SourceRoots = [Path.GetTempPath()] };

    internal ServerEndpoint Endpoint { get; }

    protected string DataDirectory => _directory;

    internal RecordingAuthorizer Authorizer { get; } = new();

    internal BuildQueue Queue { get; } = new();

    internal SqliteBuildStore Store { get; }

    internal Storage.Reports.IReportStore ReportStore { get; }

    internal Application.Builds.Reports.ReportService Reports { get; }

    internal IBuildLogStore Logs { get; }

    /// <summary>CloudWatch Logs' groups and streams, in the same database as the builds.</summary>
    internal ILogStore LogStore { get; }

    internal BuildWorkspaces Workspaces { get; }

    /// <summary>What builds keep for their pages, in the builds directory as a server on SQLite keeps it.</summary>
    internal FileBuildFileStore BuildFiles { get; }

    internal CodeBuildService Service { get; }

    protected static string ProjectArn(string name) => $"arn:aws:codebuild:{Region}:{Account}:project/{name}";

    protected static RequestContext Context(string region = Region) =>
        new(new Principal(PrincipalKind.User, Account, "arn:aws:iam::000000000000:user/ci", "AIDAEXAMPLE", "ci"), region, "req-1", "127.0.0.1", DateTimeOffset.UtcNow);

    protected Task<JsonObject> CallAsync(string operation, string json) =>
        Service.InvokeAsync(operation, (JsonObject)JsonNode.Parse(json)!, Context(), CancellationToken.None);

    protected async Task<AwsException> FailsAsync(string operation, string json) =>
        await Assert.ThrowsAsync<AwsException>(() => CallAsync(operation, json));

    protected static string ProjectJson(string name = "app", string source = """{"type":"GITHUB","location":"file:///tmp/repo"}""", string extra = "") =>
        $$"""
        {"name":"{{name}}","source":{{source}},"artifacts":{"type":"NO_ARTIFACTS"},
         "environment":{"type":"LINUX_EC2","image":"host","computeType":"BUILD_GENERAL1_SMALL",
           "environmentVariables":[{"name":"STAGE","value":"dev"},{"name":"PASSWORD","value":"/app/password","type":"PARAMETER_STORE"}]},
         "serviceRole":"{{Role}}"{{extra}}}
        """;

    protected async Task<JsonObject> CreateProjectAsync(string name = "app", string extra = "") =>
        (JsonObject)(await CallAsync("CreateProject", ProjectJson(name, extra: extra)))["project"]!;

    protected async Task<JsonObject> StartAsync(string json = """{"projectName":"app"}""") =>
        (JsonObject)(await CallAsync("StartBuild", json))["build"]!;

    protected static List<string> Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    public void Dispose()
    {
        Queue.Dispose();
        _provider.Dispose();
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}
