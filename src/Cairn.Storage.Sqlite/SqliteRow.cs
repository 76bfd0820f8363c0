using Microsoft.Data.Sqlite;

namespace Cairn.Storage.Sqlite;

/// <summary>
/// The current row of a query; valid only inside the row callback. A NULL reads as empty, 0 or false, as SQLite's
/// own column functions give it (the provider's typed getters throw on NULL).
/// </summary>
public readonly struct SqliteRow
{
    private readonly SqliteDataReader _reader;

    internal SqliteRow(SqliteDataReader reader) => _reader = reader;

    public bool IsNull(int column) => _reader.IsDBNull(column);

    public string GetString(int column) => IsNull(column) ? string.Empty : _reader.GetString(column);

    public string? GetStringOrNull(int column) => IsNull(column) ? null : _reader.GetString(column);

    public long GetInt64(int column) => IsNull(column) ? 0 : _reader.GetInt64(column);

    /// <summary>The low 32 bits, as sqlite3_column_int gives them.</summary>
    public int GetInt32(int column) => unchecked((int)GetInt64(column));

    public double GetDouble(int column) => IsNull(column) ? 0 : _reader.GetDouble(column);

    public bool GetBoolean(int column) => GetInt64(column) != 0;

    public byte[] GetBlob(int column) => IsNull(column) ? [] : _reader.GetFieldValue<byte[]>(column);

    public byte[]? GetBlobOrNull(int column) => IsNull(column) ? null : _reader.GetFieldValue<byte[]>(column);
}
