namespace Cairn.Storage.Sqlite;

/// <summary>
/// One module's schema history (e.g. "parameters", "keys"). Steps run in order, each once, each in its own
/// transaction; a step is never edited after it has shipped, only followed by a new one.
/// </summary>
public sealed record MigrationSet(string Module, IReadOnlyList<string> Steps);
