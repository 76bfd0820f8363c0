using System.Text;
using Provider = Microsoft.Data.Sqlite;

namespace Cairn.Storage.Sqlite;

/// <summary>
/// One SQLite connection (Microsoft.Data.Sqlite) with a cache of prepared commands. Not thread-safe:
/// <see cref="SqliteDatabase"/> hands each connection to one caller at a time. Parameters bind by position
/// (<c>?</c> or <c>?1</c>): the provider binds by name, so each anonymous <c>?</c> is numbered once, when its command
/// is prepared, and bound as <c>?N</c>.
/// </summary>
public sealed class SqliteConnection : IDisposable
{
    /// <summary>SQLite's own busy handler waits this long for a lock (it sleeps in short steps with nanosleep).</summary>
    private const int BusyTimeoutMilliseconds = 10_000;

    /// <summary>The writer's page cache: grows only as far as pages are used.</summary>
    private const int WriterCacheKibibytes = 32 * 1024;

    private readonly Provider.SqliteConnection _connection;
    private readonly Dictionary<string, Statement> _statements = new(StringComparer.Ordinal);

    internal SqliteConnection(string path, bool writer = false)
    {
        var settings = new Provider.SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = Provider.SqliteOpenMode.ReadWriteCreate,
            Cache = Provider.SqliteCacheMode.Private,
            // SqliteDatabase keeps its own writer and readers' pool: the provider's pool would hold closed connections open.
            Pooling = false,
            // The provider's own busy retry sleeps 150 ms between tries (Thread.Sleep) until the command timeout. SQLite's
            // busy handler (busy_timeout below) answers SQLITE_BUSY only after 10 s, so one second stops the provider
            // from adding its coarse retries on top; 0 would mean "retry forever".
            DefaultTimeout = 1,
        };
        _connection = new Provider.SqliteConnection(settings.ToString());
        try
        {
            _connection.Open();
            Execute($"PRAGMA busy_timeout={BusyTimeoutMilliseconds}");
            Execute("PRAGMA journal_mode=WAL");
            // FULL: an acknowledged write is on disk before the response leaves, so it survives kill -9 and power loss.
            Execute("PRAGMA synchronous=FULL");
            Execute("PRAGMA foreign_keys=ON");
            // Savepoints (one per write of a group commit) copy each page they change into a statement journal; in
            // memory that is a memcpy, in a temporary file (the default) two pwrite calls per page and the page's bytes on disk.
            Execute("PRAGMA temp_store=MEMORY");
            if (writer)
            {
                // The writer's cache survives its own commits (a reader's is emptied by every commit), so it can hold the hot
                // pages; SQLite's default 2 MiB makes it re-read B-tree pages of a store of a few thousand parameters.
                Execute($"PRAGMA cache_size=-{WriterCacheKibibytes}");
                // SqliteDatabase checkpoints on a connection of its own; this is the backstop if that falls behind.
                Execute($"PRAGMA wal_autocheckpoint={SqliteDatabase.WriterCheckpointPages}");
            }
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    public int Execute(string sql, params object?[] args)
    {
        var statement = Prepare(sql, args);
        try
        {
            // RecordsAffected is -1 for a statement that changes no rows by nature (a SELECT, a PRAGMA).
            return Math.Max(statement.Command.ExecuteNonQuery(), 0);
        }
        catch (Provider.SqliteException error)
        {
            throw new SqliteException(error);
        }
    }

    public List<T> Query<T>(string sql, Func<SqliteRow, T> map, params object?[] args)
    {
        var statement = Prepare(sql, args);
        var results = new List<T>();
        try
        {
            using var reader = statement.Command.ExecuteReader();
            while (reader.Read())
            {
                results.Add(map(new SqliteRow(reader)));
            }

            return results;
        }
        catch (Provider.SqliteException error)
        {
            throw new SqliteException(error);
        }
    }

    /// <summary>
    /// Rows one multi-row statement takes at most. Few: the provider finds each parameter by name in a list as long as the
    /// statement's, so a value costs more the more a statement has (an audit entry: 10.4 µs one a statement, 6.5 µs at 8,
    /// 15 µs at 64).
    /// </summary>
    private static readonly int[] RowsPerStatement = [8, 4, 1];

    private readonly Dictionary<(string Insert, string Suffix, int Rows), string> _rowStatements = new();

    /// <summary>
    /// Runs <c><paramref name="insert"/> VALUES (?, ...), (?, ...) <paramref name="suffix"/></c> over
    /// <paramref name="rows"/>, up to 8 rows a statement: one statement's overhead (and one AUTOINCREMENT update) per 8
    /// rows instead of per row. <paramref name="values"/> writes one row's <paramref name="columns"/> values.
    /// </summary>
    public void ExecuteRows<T>(string insert, int columns, string suffix, IReadOnlyList<T> rows, Action<T, object?[], int> values)
    {
        var done = 0;
        foreach (var size in RowsPerStatement)
        {
            while (rows.Count - done >= size)
            {
                if (!_rowStatements.TryGetValue((insert, suffix, size), out var sql))
                {
                    var row = "(" + string.Join(", ", Enumerable.Repeat("?", columns)) + ")";
                    sql = $"{insert} VALUES {string.Join(", ", Enumerable.Repeat(row, size))} {suffix}";
                    _rowStatements[(insert, suffix, size)] = sql;
                }

                var args = new object?[size * columns];
                for (var i = 0; i < size; i++)
                {
                    values(rows[done + i], args, i * columns);
                }

                Execute(sql, args);
                done += size;
            }
        }
    }

    /// <summary>The first row mapped, or default when there is none.</summary>
    public T? QuerySingle<T>(string sql, Func<SqliteRow, T> map, params object?[] args)
    {
        var rows = Query(sql, map, args);
        return rows.Count == 0 ? default : rows[0];
    }

    public long LastInsertRowId => QuerySingle("SELECT last_insert_rowid()", row => row.GetInt64(0));

    /// <summary>Runs a script of several statements (no parameters), such as a migration step.</summary>
    public void ExecuteScript(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            command.ExecuteNonQuery();
        }
        catch (Provider.SqliteException error)
        {
            throw new SqliteException(error);
        }
    }

    private Statement Prepare(string sql, object?[] args)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            var (numbered, count) = NumberParameters(sql);
            var command = _connection.CreateCommand();
            command.CommandText = numbered;
            var parameters = new Provider.SqliteParameter[count];
            for (var i = 0; i < count; i++)
            {
                parameters[i] = command.Parameters.AddWithValue(ParameterNames.Get(i + 1), DBNull.Value);
            }

            try
            {
                command.Prepare();
            }
            catch (Provider.SqliteException error)
            {
                command.Dispose();
                throw new SqliteException(error);
            }

            statement = new Statement(command, parameters);
            _statements[sql] = statement;
        }

        Bind(statement.Parameters, args);
        return statement;
    }

    private static void Bind(Provider.SqliteParameter[] parameters, object?[] args)
    {
        if (args.Length > parameters.Length)
        {
            throw new ArgumentException($"{args.Length} values for a statement with {parameters.Length} parameters.", nameof(args));
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            // A parameter without a value is NULL, as an unbound SQLite parameter is.
            parameters[i].Value = i >= args.Length ? DBNull.Value : args[i] switch
            {
                null => DBNull.Value,
                string or byte[] or long or double => args[i]!,
                int n => (long)n,
                bool b => b ? 1L : 0L,
                // The provider would store text; the schema stores instants as Unix milliseconds.
                DateTimeOffset t => t.ToUnixTimeMilliseconds(),
                _ => throw new ArgumentException($"Cannot bind a {args[i]!.GetType().Name} to SQLite parameter {i + 1}.", nameof(args)),
            };
        }
    }

    /// <summary>
    /// <paramref name="sql"/> with each anonymous <c>?</c> given the number SQLite gives it (one more than the largest so
    /// far), and the largest number: the parameters to bind. Quoted text and comments are copied as they are.
    /// </summary>
    internal static (string Sql, int Count) NumberParameters(string sql)
    {
        var text = new StringBuilder(sql.Length + 8);
        var largest = 0;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            int end;
            switch (c)
            {
                case '\'' or '"' or '`' or '[':
                    end = sql.IndexOf(c == '[' ? ']' : c, i + 1);
                    end = end < 0 ? sql.Length : end + 1;
                    break;
                case '-' when next == '-':
                    end = sql.IndexOf('\n', i);
                    end = end < 0 ? sql.Length : end + 1;
                    break;
                case '/' when next == '*':
                    end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    end = end < 0 ? sql.Length : end + 2;
                    break;
                case '?':
                    end = i + 1;
                    while (end < sql.Length && char.IsAsciiDigit(sql[end]))
                    {
                        end++;
                    }

                    if (end == i + 1)
                    {
                        text.Append('?').Append(++largest);
                        i = end;
                        continue;
                    }

                    largest = Math.Max(largest, int.Parse(sql.AsSpan(i + 1, end - i - 1)));
                    break;
                default:
                    end = i + 1;
                    break;
            }

            text.Append(sql, i, end - i);
            i = end;
        }

        return (text.ToString(), largest);
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Command.Dispose();
        }

        _statements.Clear();
        _connection.Dispose();
    }

    private sealed record Statement(Provider.SqliteCommand Command, Provider.SqliteParameter[] Parameters);

    /// <summary>"?1", "?2", ...: made once, not per prepared command.</summary>
    private static class ParameterNames
    {
        private static readonly string[] Names = Enumerable.Range(1, 32).Select(n => "?" + n).ToArray();

        public static string Get(int number) => number <= Names.Length ? Names[number - 1] : "?" + number;
    }
}
