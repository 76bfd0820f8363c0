using Cairn.Core.Identity.Iam;
using Cairn.Core.Keys;
using Cairn.Storage.Changes;
using Cairn.Storage.Identity;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Identity;
using Cairn.Storage.Tests.Postgres;
using Npgsql;

namespace Cairn.Storage.Tests.Identity;

[RequiresPostgres]
public sealed class PostgresIdentityStoreTests : IdentityStoreContractTests, IAsyncLifetime
{
    private readonly MasterKey _masterKey = MasterKey.Generate();
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresIdentityStore? _store;

    protected override IIdentityStore Store => _store!;

    protected override IChangeFeed<IIdentityStore> Changes => _store!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [IdentityMigrations.Set], default);
        _store = new PostgresIdentityStore(_database, _masterKey);
    }

    [StoreFact]
    public async Task Another_server_sees_a_write_at_once_and_concurrent_creates_of_one_name_in_any_case_make_one_user()
    {
        await using var otherDatabase = await PostgresDatabase.OpenAsync(_testDatabase!.ConnectionString, [IdentityMigrations.Set], default);
        var other = new PostgresIdentityStore(otherDatabase, _masterKey);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var name = i % 2 == 0 ? "Shared" : "SHARED";
            try
            {
                await (i % 2 == 0 ? Store : other).CreateUserAsync(
                    new IamUser("111111111111", name, "AIDA" + i.ToString("D17", System.Globalization.CultureInfo.InvariantCulture), "/", "arn:aws:iam::111111111111:user/" + name, now),
                    [], default);
                return true;
            }
            catch (Cairn.Core.Errors.AwsException e) when (e.Code == "EntityAlreadyExists")
            {
                return false;
            }
        })));
        Assert.Single(attempts, created => created);
        Assert.Single(await Store.ListUsersAsync("111111111111", default));

        var feed = await Changes.CurrentAsync(default);
        await other.CreateRoleAsync(
            new IamRole("111111111111", "Builder", "AROAXXXXXXXXXXXXXXXXX", "/", "arn:aws:iam::111111111111:role/Builder", now, "{}", null, 3600), [], default);
        Assert.NotNull(await Store.FindRoleAsync("111111111111", "builder", default));
        // Another server's write moves this server's change number within a second (its own writes move it at once).
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (await Changes.CurrentAsync(default) == feed && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(await Changes.CurrentAsync(default) > feed);
    }

    [StoreFact]
    public async Task The_change_number_is_read_at_most_once_per_delay_and_this_servers_own_writes_move_it_at_once()
    {
        await using var otherDatabase = await PostgresDatabase.OpenAsync(_testDatabase!.ConnectionString, [IdentityMigrations.Set], default);
        var other = new PostgresIdentityStore(otherDatabase, _masterKey);
        var slow = new PostgresIdentityStore(_database!, _masterKey, TimeSpan.FromHours(1));
        var now = DateTimeOffset.UtcNow;

        var first = await slow.CurrentAsync(default);
        await other.CreateGroupAsync(new IamGroup("111111111111", "seen-later", "AGPASEENLATER", "/", "arn:aws:iam::111111111111:group/seen-later", now), default);
        var afterOther = await slow.CurrentAsync(default);
        await slow.CreateGroupAsync(new IamGroup("111111111111", "mine", "AGPAMINE", "/", "arn:aws:iam::111111111111:group/mine", now), default);

        Assert.Equal(first, afterOther);
        Assert.True(await slow.CurrentAsync(default) > afterOther);
        Assert.NotNull(await slow.FindGroupAsync("111111111111", "seen-later", default));
    }

    [StoreFact]
    public async Task Access_key_secrets_and_session_credentials_are_not_in_the_database_in_plaintext()
    {
        var now = DateTimeOffset.UtcNow;
        await Store.CreateUserAsync(new IamUser("111111111111", "Ann", "AIDAYYYYYYYYYYYYYYYYY", "/", "arn:aws:iam::111111111111:user/Ann", now), [], default);
        await Store.CreateAccessKeyAsync(new AccessKeyInfo("AKIAANNANNANNANNANN1", "PlainUserSecretValue0123456789", "111111111111", "Ann", "Active", now), 2, default);
        await Store.CreateSessionAsync(
            new RoleSession("ASIAYYYYYYYYYYYYYYYY", "PlainSessionSecretValue987", "PlainSessionTokenValue654", "111111111111", "r", "arn:aws:iam::111111111111:role/r", "s",
                "arn:aws:sts::111111111111:assumed-role/r/s", "AROAY:s", now, now.AddHours(1)),
            default);
        Assert.Equal("PlainUserSecretValue0123456789", (await Store.FindAccessKeyAsync("AKIAANNANNANNANNANN1", default))!.SecretAccessKey);
        Assert.Equal("PlainSessionTokenValue654", (await Store.FindSessionAsync("ASIAYYYYYYYYYYYYYYYY", default))!.SessionToken);

        await using var connection = new NpgsqlConnection(_testDatabase!.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT string_agg(t::text, ' ') FROM (SELECT k::text AS t FROM cairn_identity.access_keys k UNION ALL SELECT s::text FROM cairn_identity.sessions s) rows",
            connection);
        var everything = (string)(await command.ExecuteScalarAsync())!;
        Assert.Contains("AKIAANNANNANNANNANN1", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("PlainUserSecretValue", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("PlainSessionSecretValue", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("PlainSessionTokenValue", everything, StringComparison.Ordinal);

        var wrongKey = new PostgresIdentityStore(_database!, MasterKey.Generate());
        await Assert.ThrowsAsync<MasterKeyMismatchException>(() => wrongKey.FindAccessKeyAsync("AKIAANNANNANNANNANN1", default));
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_testDatabase is not null)
        {
            await _testDatabase.DisposeAsync();
        }
    }
}
