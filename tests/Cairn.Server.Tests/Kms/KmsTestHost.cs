using System.Text.Json.Nodes;
using Cairn.Application.Keys;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;
using Cairn.Server.Services.Kms;
using Cairn.Server.Tests.Ssm;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Keys;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Server.Tests.Kms;

/// <summary>A KmsService over a real SQLite database in a temp directory, with an authorizer the test controls.</summary>
internal sealed class KmsTestHost : IDisposable
{
    public const string Account = "111122223333";
    public const string Region = "us-east-1";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cairn-kms-" + Guid.NewGuid().ToString("N"));

    public KmsTestHost()
    {
        Directory.CreateDirectory(_directory);
        Database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [KeyMigrations.Set]);
        Store = new SqliteKeyStore(Database);
        MasterKey = MasterKey.Generate();
        Keys = new KeyRing(Store, MasterKey, Clock);
        Service = new KmsService(new KeyService(Keys, Store, Authorizer, Clock), NullLogger<KmsService>.Instance);
    }

    public SqliteDatabase Database { get; }

    public SqliteKeyStore Store { get; }

    public MasterKey MasterKey { get; }

    public KeyRing Keys { get; }

    public KmsService Service { get; }

    public RecordingAuthorizer Authorizer { get; } = new();

    /// <summary>The keys' clock: deletion dates and rotation come due when a test moves it.</summary>
    public ManualTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public static RequestContext Root(string region = Region, string account = Account) =>
        new(Principal.Root(account), region, Guid.NewGuid().ToString(), "127.0.0.1", DateTimeOffset.UtcNow);

    public static RequestContext User(string name = "dev") =>
        new(new Principal(PrincipalKind.User, Account, $"arn:aws:iam::{Account}:user/{name}", "AIDAEXAMPLE", name), Region, Guid.NewGuid().ToString(), null, DateTimeOffset.UtcNow);

    public Task<JsonObject> InvokeAsync(string operation, JsonObject input, RequestContext? context = null) =>
        Service.InvokeAsync(operation, input, context ?? Root(), CancellationToken.None);

    public async Task<AwsException> FailAsync(string operation, JsonObject input, RequestContext? context = null) =>
        await Assert.ThrowsAsync<AwsException>(() => InvokeAsync(operation, input, context));

    public async Task<JsonObject> CreateKeyAsync(string description = "test key", RequestContext? context = null) =>
        (JsonObject)(await InvokeAsync("CreateKey", new JsonObject { ["Description"] = description }, context))["KeyMetadata"]!;

    public void Dispose()
    {
        Database.Dispose();
        MasterKey.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
