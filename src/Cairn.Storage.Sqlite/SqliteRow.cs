using SQLitePCL;

namespace Cairn.Storage.Sqlite;

/// <summary>The current row of a stepping statement; valid only inside the row callback.</summary>
public readonly struct SqliteRow
{
    private readonly sqlite3_stmt _statement;

    internal SqliteRow(sqlite3_stmt statement) => _statement = statement;

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public string GetString(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string() ?? string.Empty;

    public string? GetStringOrNull(int column) => IsNull(column) ? null : GetString(column);

    public long GetInt64(int column) => raw.sqlite3_column_int64(_statement, column);

    public int GetInt32(int column) => raw.sqlite3_column_int(_statement, column);

    public double GetDouble(int column) => raw.sqlite3_column_double(_statement, column);

    public bool GetBoolean(int column) => raw.sqlite3_column_int(_statement, column) != 0;

    public byte[] GetBlob(int column) => raw.sqlite3_column_blob(_statement, column).ToArray();

    public byte[]? GetBlobOrNull(int column) => IsNull(column) ? null : GetBlob(column);
}
