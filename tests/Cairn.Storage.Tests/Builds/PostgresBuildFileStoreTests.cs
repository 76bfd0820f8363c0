using Cairn.Storage.Builds;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Builds;
using Cairn.Storage.Tests.Postgres;
using Npgsql;

namespace Cairn.Storage.Tests.Builds;

[RequiresPostgres]
public sealed class PostgresBuildFileStoreTests : BuildFileStoreContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresBuildFileStore? _store;

    protected override IBuildFileStore Store => _store!;

    /// <summary>A build's packaged artifacts are files of the server that ran it, wherever that keeps them.</summary>
    protected override string PackagingDirectory(string uuid) => Path.Combine(Scratch, "packaged", uuid);

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [PostgresBuildFileStore.Migrations], default);
        _store = new PostgresBuildFileStore(_database);
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

    [StoreFact]
    public async Task A_file_is_kept_in_chunks_of_one_mebibyte_and_read_from_another_connection_pool()
    {
        var uuid = NewUuid();
        var bytes = new byte[(2 * 1024 * 1024) + 5];
        new Random(7).NextBytes(bytes);
        Assert.False(await _store!.KeepArtifactsAsync(uuid, Package(uuid, ("big.bin", bytes)), default), "the database store said it reads the directory in place");
        await using var connection = new NpgsqlConnection(_testDatabase!.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT chunks, bytes, (SELECT array_agg(length(data) ORDER BY chunk) FROM cairn_build_files.chunks WHERE build_uuid = $1) FROM cairn_build_files.artifacts WHERE build_uuid = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = uuid } },
        };
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(3, reader.GetInt32(0));
            Assert.Equal(bytes.Length, reader.GetInt64(1));
            Assert.Equal([1024 * 1024, 1024 * 1024, 5], reader.GetFieldValue<int[]>(2));
        }

        await using var otherDatabase = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [PostgresBuildFileStore.Migrations], default);
        var opened = (await new PostgresBuildFileStore(otherDatabase).OpenArtifactAsync(uuid, "big.bin", default))!;
        Assert.Equal(bytes, await ReadAllAsync(opened.Content));
    }

    [StoreFact]
    public async Task A_damaged_file_is_refused_as_such_rather_than_read_short()
    {
        var uuid = NewUuid();
        await _store!.KeepArtifactsAsync(uuid, Package(uuid, ("big.bin", new byte[(1024 * 1024) + 10])), default);
        await using (var connection = new NpgsqlConnection(_testDatabase!.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("DELETE FROM cairn_build_files.chunks WHERE build_uuid = $1 AND chunk = 1", connection)
            {
                Parameters = { new NpgsqlParameter { Value = uuid } },
            };
            await command.ExecuteNonQueryAsync();
        }

        var opened = (await _store.OpenArtifactAsync(uuid, "big.bin", default))!;
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(opened.Content));

        Assert.Contains($"the artifact file big.bin of build {uuid} is damaged: it ends after 1 of 2 chunks", error.Message, StringComparison.Ordinal);
    }
}
