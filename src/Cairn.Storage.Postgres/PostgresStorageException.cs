namespace Cairn.Storage.Postgres;

/// <summary>The database could not be reached or used as configured; the message says which server and what to check.</summary>
public sealed class PostgresStorageException(string message, Exception? inner = null) : Exception(message, inner);
