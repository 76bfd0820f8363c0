using SQLitePCL;

namespace Cairn.Storage.Sqlite;

/// <summary>
/// One SQLite connection with a cache of prepared statements. Not thread-safe: <see cref="SqliteDatabase"/>
/// hands each connection to one caller at a time. Parameters bind by position (<c>?</c> or <c>?1</c>).
/// </summary>
public sealed class SqliteConnection : IDisposable
{
    private readonly sqlite3 _db;
    private readonly Dictionary<string, sqlite3_stmt> _statements = new(StringComparer.Ordinal);

    internal SqliteConnection(string path)
    {
        var rc = raw.sqlite3_open_v2(path, out _db,
            raw.SQLITE_OPEN_READWRITE | raw.SQLITE_OPEN_CREATE | raw.SQLITE_OPEN_NOMUTEX, null);
        Check(rc);
        raw.sqlite3_busy_timeout(_db, 10_000);
        Execute("PRAGMA journal_mode=WAL");
        // FULL: an acknowledged write is on disk before the response leaves, so it survives kill -9 and power loss.
        Execute("PRAGMA synchronous=FULL");
        Execute("PRAGMA foreign_keys=ON");
    }

    public int Execute(string sql, params object?[] args)
    {
        var statement = Prepare(sql);
        try
        {
            Bind(statement, args);
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
            }

            Check(rc);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(statement);
            raw.sqlite3_clear_bindings(statement);
        }
    }

    public List<T> Query<T>(string sql, Func<SqliteRow, T> map, params object?[] args)
    {
        var statement = Prepare(sql);
        var results = new List<T>();
        try
        {
            Bind(statement, args);
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                results.Add(map(new SqliteRow(statement)));
            }

            Check(rc);
            return results;
        }
        finally
        {
            raw.sqlite3_reset(statement);
            raw.sqlite3_clear_bindings(statement);
        }
    }

    /// <summary>The first row mapped, or default when there is none.</summary>
    public T? QuerySingle<T>(string sql, Func<SqliteRow, T> map, params object?[] args)
    {
        var rows = Query(sql, map, args);
        return rows.Count == 0 ? default : rows[0];
    }

    public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

    /// <summary>Runs a script of several statements (no parameters), such as a migration step.</summary>
    public void ExecuteScript(string sql) => Check(raw.sqlite3_exec(_db, sql));

    private sqlite3_stmt Prepare(string sql)
    {
        if (_statements.TryGetValue(sql, out var cached))
        {
            return cached;
        }

        Check(raw.sqlite3_prepare_v2(_db, sql, out var statement));
        _statements[sql] = statement;
        return statement;
    }

    private void Bind(sqlite3_stmt statement, object?[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var index = i + 1;
            var rc = args[i] switch
            {
                null => raw.sqlite3_bind_null(statement, index),
                string s => raw.sqlite3_bind_text(statement, index, s),
                byte[] b => raw.sqlite3_bind_blob(statement, index, b),
                int n => raw.sqlite3_bind_int64(statement, index, n),
                long n => raw.sqlite3_bind_int64(statement, index, n),
                bool b => raw.sqlite3_bind_int64(statement, index, b ? 1 : 0),
                double d => raw.sqlite3_bind_double(statement, index, d),
                DateTimeOffset t => raw.sqlite3_bind_int64(statement, index, t.ToUnixTimeMilliseconds()),
                _ => throw new ArgumentException($"Cannot bind a {args[i]!.GetType().Name} to SQLite parameter {index}.", nameof(args)),
            };
            Check(rc);
        }
    }

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            throw new SqliteException(rc, raw.sqlite3_errmsg(_db).utf8_to_string() ?? "unknown error");
        }
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            raw.sqlite3_finalize(statement);
        }

        _statements.Clear();
        raw.sqlite3_close_v2(_db);
    }
}
