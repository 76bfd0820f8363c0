using Cairn.Storage.Sqlite;

namespace Cairn.Storage.Tests.Sqlite;

/// <summary>
/// The binding over Microsoft.Data.Sqlite: positional parameters (the provider binds by name), values as the schema stores
/// them, NULLs read as SQLite's column functions read them, and the provider's errors as Cairn's SqliteException.
/// </summary>
public sealed class SqliteConnectionTests : IDisposable
{
    private static readonly MigrationSet Schema = new("connection-test",
        ["CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE, n INTEGER, b BLOB, d REAL)"]);

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-connection-").FullName;

    [Theory]
    [InlineData("SELECT ?, ?", "SELECT ?1, ?2", 2)]
    [InlineData("SELECT ? WHERE x = ?2 OR y = ?", "SELECT ?1 WHERE x = ?2 OR y = ?3", 3)]
    [InlineData("SELECT '?', \"a?\", [b?], ? -- ?\n/* ? */ , ?", "SELECT '?', \"a?\", [b?], ?1 -- ?\n/* ? */ , ?2", 2)]
    [InlineData("SELECT 'it''s ?', ?", "SELECT 'it''s ?', ?1", 1)]
    [InlineData("SELECT ?5, ?", "SELECT ?5, ?6", 6)]
    [InlineData("SELECT 1", "SELECT 1", 0)]
    public void Anonymous_parameters_are_numbered_as_SQLite_numbers_them_and_quoted_text_is_left_alone(string sql, string numbered, int count)
    {
        Assert.Equal((numbered, count), SqliteConnection.NumberParameters(sql));
    }

    [Fact]
    public async Task Values_bind_by_position_and_read_back_with_nulls_as_empty_or_zero()
    {
        using var database = SqliteDatabase.Open(Path.Combine(_directory, "c.db"), [Schema]);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        await database.WriteAsync(c =>
        {
            c.Execute("INSERT INTO t (v, n, b, d) VALUES (?, ?, ?, ?)", "a?'b", at, new byte[] { 1, 2 }, 1.5);
            c.Execute("INSERT INTO t (v, n) VALUES (?2, ?1)", true, "mixed");
            c.Execute("INSERT INTO t (v) VALUES (?)", [null]);
        }, CancellationToken.None);

        var rows = database.Read(c => c.Query("SELECT v, n, b, d FROM t ORDER BY id",
            row => (row.GetStringOrNull(0), row.GetString(0), row.GetInt64(1), row.GetBoolean(1), Convert.ToHexString(row.GetBlob(2)), row.GetBlobOrNull(2) is null, row.GetDouble(3))));

        Assert.Equal(("a?'b", "a?'b", at.ToUnixTimeMilliseconds(), true, "0102", false, 1.5), rows[0]);
        Assert.Equal(("mixed", "mixed", 1L, true, "", true, 0.0), rows[1]);
        Assert.Equal(((string?)null, "", 0L, false, "", true, 0.0), rows[2]);
        Assert.Equal(3, database.Read(c => c.QuerySingle("SELECT count(*) FROM t WHERE ? IS NULL OR v = ?", row => row.GetInt32(0), null, null)));
    }

    [Fact]
    public async Task A_constraint_violation_is_Cairns_SqliteException_with_SQLites_result_code()
    {
        using var database = SqliteDatabase.Open(Path.Combine(_directory, "e.db"), [Schema]);
        await database.WriteAsync(c => c.Execute("INSERT INTO t (v) VALUES (?)", "same"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<SqliteException>(() => database.WriteAsync(c => c.Execute("INSERT INTO t (v) VALUES (?)", "same"), CancellationToken.None));

        Assert.Equal(19, error.ResultCode);
        Assert.Contains("UNIQUE", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => database.Read(c => c.Query("SELECT ?", row => row.GetString(0), Guid.NewGuid())));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(64)]
    [InlineData(137)]
    public async Task Rows_written_many_a_statement_arrive_all_in_order_with_their_own_values(int count)
    {
        using var database = SqliteDatabase.Open(Path.Combine(_directory, $"rows{count}.db"), [Schema]);
        var rows = Enumerable.Range(0, count).Select(i => (V: $"row-{i}", N: i % 3 == 0 ? (long?)null : i * 10L)).ToList();

        await database.WriteAsync(c => c.ExecuteRows("INSERT INTO t (v, n)", 2, "", rows, (row, values, at) =>
        {
            values[at] = row.V;
            values[at + 1] = row.N;
        }), CancellationToken.None);
        // The suffix is the statement's tail: an upsert over rows already there changes them.
        await database.WriteAsync(c => c.ExecuteRows("INSERT INTO t (v, n)", 2, "ON CONFLICT (v) DO UPDATE SET n = excluded.n + 1", rows, (row, values, at) =>
        {
            values[at] = row.V;
            values[at + 1] = 5L;
        }), CancellationToken.None);

        var stored = database.Read(c => c.Query("SELECT v, n FROM t ORDER BY id", row => (row.GetString(0), row.GetInt64(1))));
        Assert.Equal(rows.Select(r => (r.V, 6L)), stored);
    }

    [Fact]
    public void Connections_are_in_WAL_with_full_sync_a_busy_timeout_and_foreign_keys()
    {
        using var database = SqliteDatabase.Open(Path.Combine(_directory, "p.db"), [Schema]);

        var settings = database.Read(c => (
            c.QuerySingle("PRAGMA journal_mode", row => row.GetString(0)),
            c.QuerySingle("PRAGMA synchronous", row => row.GetInt32(0)),
            c.QuerySingle("PRAGMA busy_timeout", row => row.GetInt32(0)),
            c.QuerySingle("PRAGMA foreign_keys", row => row.GetInt32(0))));

        Assert.Equal(("wal", 2, 10_000, 1), settings);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
