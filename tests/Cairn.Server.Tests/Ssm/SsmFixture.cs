using Cairn.Application.Parameters;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Services.Ssm;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Parameters;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Server.Tests.Ssm;

/// <summary>An SsmService over a real SQLite file, a real AES-GCM key service, a recording authorizer and a manual clock.</summary>
public abstract class SsmFixture : IDisposable
{
    protected const string Account = "000000000000";
    protected const string Region = "us-east-1";
    protected const string UserArn = "arn:aws:iam::000000000000:user/ci";

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-ssm-").FullName;
    private readonly SqliteDatabase _database;

    protected SsmFixture()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [SqliteParameterRepository.Migrations]);
        Repository = new SqliteParameterRepository(_database);
        var crypto = new ParameterCrypto(Keys, Authorizer);
        Service = new SsmService(Repository, new ParameterService(Repository, crypto, Authorizer, Time), crypto, Authorizer, Time);
        Sweeper = new ParameterExpirationSweeper(Repository, Time, NullLogger<ParameterExpirationSweeper>.Instance);
    }

    internal ManualTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    internal TestKeyService Keys { get; } = new();

    internal RecordingAuthorizer Authorizer { get; } = new();

    internal SqliteParameterRepository Repository { get; }

    internal SsmService Service { get; }

    internal ParameterExpirationSweeper Sweeper { get; }

    protected static string Arn(string key, string region = Region) => $"arn:aws:ssm:{region}:{Account}:parameter/{key}";

    protected static RequestContext Context(string region = Region) =>
        new(new Principal(PrincipalKind.User, Account, UserArn, "AIDAEXAMPLE", "ci"), region, "req-1", "127.0.0.1", DateTimeOffset.UtcNow);

    /// <summary>Calls an operation with a JSON body, as the wire would hand it over.</summary>
    protected Task<JsonObject> CallAsync(string operation, string json, string region = Region) =>
        Service.InvokeAsync(operation, (JsonObject)JsonNode.Parse(json)!, Context(region), CancellationToken.None);

    protected async Task<AwsException> FailsAsync(string operation, string json, string region = Region) =>
        await Assert.ThrowsAsync<AwsException>(() => CallAsync(operation, json, region));

    protected Task<JsonObject> PutAsync(string name, string value, string type = "String", string extra = "") =>
        CallAsync("PutParameter", $$"""{"Name":"{{name}}","Value":"{{value}}","Type":"{{type}}"{{extra}}}""");

    protected Task<JsonObject> OverwriteAsync(string name, string value, string extra = "") =>
        CallAsync("PutParameter", $$"""{"Name":"{{name}}","Value":"{{value}}","Overwrite":true{{extra}}}""");

    protected async Task<JsonObject> GetAsync(string name, bool decrypt = false) =>
        (JsonObject)(await CallAsync("GetParameter", $$"""{"Name":"{{name}}","WithDecryption":{{(decrypt ? "true" : "false")}}}"""))["Parameter"]!;

    protected static List<string> Names(JsonObject result, string member = "Parameters") =>
        result[member]!.AsArray().Select(p => p!["Name"]!.GetValue<string>()).ToList();

    protected static List<string> Strings(JsonObject result, string member) =>
        result[member]!.AsArray().Select(p => p!.GetValue<string>()).ToList();

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}
