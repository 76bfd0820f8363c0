using Cairn.Storage.Secrets;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Secrets;

namespace Cairn.Storage.Tests.Secrets;

public sealed class SqliteSecretStoreTests : SecretStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-secretstore-").FullName;
    private readonly SqliteDatabase _database;

    public SqliteSecretStoreTests()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [SecretMigrations.Set]);
        Store = new SqliteSecretStore(_database);
    }

    protected override ISecretStore Store { get; }

    [Fact]
    public async Task Values_are_stored_as_the_ciphertext_given_never_anything_else()
    {
        var secret = new SecretRecord(Account, Region, "s", $"arn:aws:secretsmanager:{Region}:{Account}:secret:s-AbCdEf", null, null, DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch, null, null, null, [], null, [new SecretVersionRecord("v", ["AWSCURRENT"], DateTimeOffset.UnixEpoch, "b3BhcXVl", false, "k", null)]);
        await Store.CreateAsync(secret, CancellationToken.None);

        var stored = _database.Read(c => c.QuerySingle("SELECT ciphertext FROM secrets_versions", r => r.GetString(0)));

        Assert.Equal("b3BhcXVl", stored);
    }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
