namespace Cairn.Storage.Sqlite;

public sealed class SqliteException(int resultCode, string message) : Exception($"SQLite error {resultCode}: {message}")
{
    public int ResultCode { get; } = resultCode;
}
