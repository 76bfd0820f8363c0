using System.Text.Json.Nodes;
using Cairn.Application.Connections;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Services.CodeConnections;
using Cairn.Server.Tests.CodeBuild;
using Cairn.Server.Tests.Ssm;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Connections;
using Cairn.Storage.Sqlite.Pipelines;

namespace Cairn.Server.Tests.CodeConnections;

/// <summary>Both connections services over one real SQLite file, a recording authorizer, and a source root in a temp directory.</summary>
public abstract class ConnectionsFixture : IDisposable
{
    protected const string Account = "000000000000";
    protected const string Region = "us-east-1";

    private readonly SqliteDatabase _database;

    protected ConnectionsFixture()
    {
        Directory.CreateDirectory(SourceRoot);
        _database = SqliteDatabase.Open(Path.Combine(Data, "cairn.db"), [ConnectionMigrations.Set, PipelineMigrations.Set]);
        Store = new SqliteCodeConnectionStore(_database);
        Pipelines = new SqlitePipelineStore(_database);
        Policy = new RootPolicy(SourceRoot);
        Connections = new ConnectionService(Store, Authorizer, Policy, new TestClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        CodeConnections = CodeConnectionsService.CodeConnections(Connections);
        CodeStar = CodeConnectionsService.CodeStar(Connections);
    }

    protected string Data { get; } = Directory.CreateTempSubdirectory("cairn-connections-").FullName;

    /// <summary>The only host directory repositories may be read from.</summary>
    protected string SourceRoot => Path.Combine(Data, "git");

    internal RecordingAuthorizer Authorizer { get; } = new();

    internal SqliteCodeConnectionStore Store { get; }

    internal SqlitePipelineStore Pipelines { get; }

    internal IRepositoryLocationPolicy Policy { get; }

    internal ConnectionService Connections { get; }

    internal CodeConnectionsService CodeConnections { get; }

    internal CodeConnectionsService CodeStar { get; }

    internal static RequestContext Caller() =>
        new(new Principal(PrincipalKind.User, Account, "arn:aws:iam::000000000000:user/ci", "AIDAEXAMPLE", "ci"), Region, "req-1", "127.0.0.1", DateTimeOffset.UtcNow);

    internal Task<JsonObject> CallAsync(string operation, JsonObject input, CodeConnectionsService? service = null) =>
        (service ?? CodeConnections).InvokeAsync(operation, input, Caller(), CancellationToken.None);

    internal async Task<AwsException> FailsAsync(string operation, JsonObject input, CodeConnectionsService? service = null) =>
        await Assert.ThrowsAsync<AwsException>(() => CallAsync(operation, input, service));

    /// <summary>A host over a directory of bare repositories under the source root; its ARN.</summary>
    internal async Task<string> LocalHostAsync(string name = "local")
    {
        var created = await CallAsync("CreateHost", new JsonObject { ["Name"] = name, ["ProviderType"] = "GitLabSelfManaged", ["ProviderEndpoint"] = SourceRoot });
        return created["HostArn"]!.GetValue<string>();
    }

    /// <summary>A connection on <paramref name="hostArn"/>; its ARN.</summary>
    internal async Task<string> ConnectionAsync(string hostArn, string name = "app")
    {
        var created = await CallAsync("CreateConnection", new JsonObject { ["ConnectionName"] = name, ["HostArn"] = hostArn });
        return created["ConnectionArn"]!.GetValue<string>();
    }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(Data, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Allows local repositories under one directory only, as the server's SourceLocations rule does with its source roots.</summary>
    private sealed class RootPolicy(string root) : IRepositoryLocationPolicy
    {
        public Task<string?> RefusalAsync(string location, CancellationToken cancellationToken)
        {
            var path = location.StartsWith("file://", StringComparison.Ordinal) ? new Uri(location).LocalPath : location;
            var full = Path.GetFullPath(path);
            return Task.FromResult(full == root || full.StartsWith(root + "/", StringComparison.Ordinal)
                ? null
                : $"source location {location} is outside the directories this Cairn server builds from ({root})");
        }
    }
}
