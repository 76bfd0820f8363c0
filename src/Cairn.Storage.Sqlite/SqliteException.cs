namespace Cairn.Storage.Sqlite;

/// <summary>A SQLite error, with its primary result code (19 for a constraint, 5 for busy).</summary>
public sealed class SqliteException : Exception
{
    public SqliteException(int resultCode, string message)
        : base($"SQLite error {resultCode}: {message}") => ResultCode = resultCode;

    internal SqliteException(Microsoft.Data.Sqlite.SqliteException error)
        : base(error.Message, error) => ResultCode = error.SqliteErrorCode;

    public int ResultCode { get; }
}
