using System.Security.Cryptography;
using Cairn.Storage.Artifacts;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Artifacts;
using Cairn.Storage.Tests.Postgres;
using Npgsql;

namespace Cairn.Storage.Tests.Artifacts;

[RequiresPostgres]
public sealed class PostgresArtifactStoreTests : ArtifactStoreContractTests, IAsyncLifetime
{
    /// <summary>Placed archives are cut this small, so that extraction joins many chunks.</summary>
    private const int PlacedChunkBytes = 7;

    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresArtifactStore? _store;

    protected override IArtifactStore Store => _store!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [PostgresArtifactStore.Migrations], default);
        _store = new PostgresArtifactStore(_database);
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

    protected override async Task PlaceAsync(ArtifactLocation location, byte[] archive)
    {
        await using var connection = await OpenAsync();
        var chunks = archive.Chunk(PlacedChunkBytes).ToArray();
        for (var i = 0; i < chunks.Length; i++)
        {
            await ExecuteAsync(connection, "INSERT INTO cairn_artifacts.chunks (store, key, chunk, data) VALUES ($1, $2, $3, $4)", location.Store, location.Key, i, chunks[i]);
        }

        await ExecuteAsync(connection, "INSERT INTO cairn_artifacts.archives (store, key, chunks, bytes) VALUES ($1, $2, $3, $4)",
            location.Store, location.Key, chunks.Length, (long)archive.Length);
    }

    [StoreFact]
    public async Task An_archive_of_several_chunks_round_trips_byte_for_byte()
    {
        var tree = Scratch("big");
        Directory.CreateDirectory(Path.Combine(tree, "data"));
        // Random bytes do not compress: the archive is larger than two chunks.
        var big = RandomNumberGenerator.GetBytes((PostgresArtifactStore.ChunkBytes * 5 / 2) + 123);
        var small = RandomNumberGenerator.GetBytes(1000);
        await File.WriteAllBytesAsync(Path.Combine(tree, "data", "big.bin"), big);
        await File.WriteAllBytesAsync(Path.Combine(tree, "small.bin"), small);

        var location = await Store.PutDirectoryAsync("store-a", "pipe/exec-1", tree, CancellationToken.None);
        var output = Scratch("out");
        await Store.ExtractAsync(location, output, CancellationToken.None);

        Assert.Equal(big, await File.ReadAllBytesAsync(Path.Combine(output, "data", "big.bin")));
        Assert.Equal(small, await File.ReadAllBytesAsync(Path.Combine(output, "small.bin")));
        await using var connection = await OpenAsync();
        var (chunks, bytes) = await HeadAsync(connection, location);
        Assert.Equal(3, chunks);
        Assert.True(bytes > big.Length, $"{bytes} bytes");
        Assert.Equal(chunks, await ScalarAsync<long>(connection, "SELECT count(*) FROM cairn_artifacts.chunks WHERE store = $1 AND key = $2", location.Store, location.Key));
        Assert.Equal(bytes, await ScalarAsync<long>(connection, "SELECT sum(length(data)) FROM cairn_artifacts.chunks WHERE store = $1 AND key = $2", location.Store, location.Key));
        Assert.Equal(PostgresArtifactStore.ChunkBytes,
            await ScalarAsync<int>(connection, "SELECT length(data) FROM cairn_artifacts.chunks WHERE store = $1 AND key = $2 AND chunk = 0", location.Store, location.Key));
    }

    [StoreFact]
    public async Task Two_servers_on_one_database_read_and_delete_each_others_archives()
    {
        await using var otherDatabase = await PostgresDatabase.OpenAsync(_testDatabase!.ConnectionString, [PostgresArtifactStore.Migrations], default);
        var other = new PostgresArtifactStore(otherDatabase);
        var tree = Scratch("tree");
        Directory.CreateDirectory(tree);
        await File.WriteAllTextAsync(Path.Combine(tree, "built.txt"), "from server one");

        var location = await Store.PutDirectoryAsync("store-a", "pipe/exec-1/BuildOutput", tree, CancellationToken.None);

        Assert.True(await other.ExistsAsync(location, CancellationToken.None));
        await other.ExtractAsync(location, Scratch("there"), CancellationToken.None);
        Assert.Equal("from server one", await File.ReadAllTextAsync(Path.Combine(Scratch("there"), "built.txt")));

        await other.DeletePrefixAsync("store-a", "pipe/", CancellationToken.None);

        Assert.False(await Store.ExistsAsync(location, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.ExtractAsync(location, Scratch("gone"), CancellationToken.None));
        await using var connection = await OpenAsync();
        Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM cairn_artifacts.chunks"));
    }

    [StoreFact]
    public async Task A_put_cancelled_midway_leaves_no_chunk_behind()
    {
        var tree = Scratch("big");
        Directory.CreateDirectory(tree);
        for (var i = 0; i < 4; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(tree, $"part-{i}.bin"), RandomNumberGenerator.GetBytes(PostgresArtifactStore.ChunkBytes * 2));
        }

        using var cancel = new CancellationTokenSource();
        await using var connection = await OpenAsync();
        var put = Store.PutDirectoryAsync("store-a", "pipe/exec-1", tree, cancel.Token);
        // Cancelled once the put's first chunks are in (uncommitted: counted by the size of the table's storage).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!put.IsCompleted && DateTime.UtcNow < deadline
            && await ScalarAsync<long>(connection, "SELECT pg_total_relation_size('cairn_artifacts.chunks')") < 2L * PostgresArtifactStore.ChunkBytes)
        {
            await Task.Delay(5);
        }

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => put);
        Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM cairn_artifacts.chunks"));
        Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM cairn_artifacts.archives"));
    }

    [StoreFact]
    public async Task An_archive_missing_a_chunk_is_refused_as_damaged()
    {
        var tree = Scratch("tree");
        Directory.CreateDirectory(tree);
        await File.WriteAllBytesAsync(Path.Combine(tree, "noise.bin"), RandomNumberGenerator.GetBytes(PostgresArtifactStore.ChunkBytes + 10));
        var location = await Store.PutDirectoryAsync("store-a", "pipe/exec-1", tree, CancellationToken.None);
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "DELETE FROM cairn_artifacts.chunks WHERE store = $1 AND key = $2 AND chunk = 0", location.Store, location.Key);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Store.ExtractAsync(location, Scratch("out"), CancellationToken.None));

        Assert.Contains("chunk 1 comes where chunk 0 belongs", error.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task An_archive_cut_short_is_refused_as_damaged()
    {
        var tree = Scratch("tree");
        Directory.CreateDirectory(tree);
        await File.WriteAllBytesAsync(Path.Combine(tree, "noise.bin"), RandomNumberGenerator.GetBytes(PostgresArtifactStore.ChunkBytes + 10));
        var location = await Store.PutDirectoryAsync("store-a", "pipe/exec-1", tree, CancellationToken.None);
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "DELETE FROM cairn_artifacts.chunks WHERE store = $1 AND key = $2 AND chunk = 1", location.Store, location.Key);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Store.ExtractAsync(location, Scratch("out"), CancellationToken.None));

        Assert.Contains($"it ends after 1 of 2 chunks, {PostgresArtifactStore.ChunkBytes} of", error.Message, StringComparison.Ordinal);
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_testDatabase!.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<(int Chunks, long Bytes)> HeadAsync(NpgsqlConnection connection, ArtifactLocation location)
    {
        await using var command = Command(connection, "SELECT chunks, bytes FROM cairn_artifacts.archives WHERE store = $1 AND key = $2", location.Store, location.Key);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt32(0), reader.GetInt64(1));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, params object[] args)
    {
        await using var command = Command(connection, sql, args);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] args)
    {
        await using var command = Command(connection, sql, args);
        await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object[] args)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return command;
    }
}
