namespace Cairn.Storage.Postgres;

/// <summary>
/// One store's schema history (e.g. "parameters" in schema <c>cairn_parameters</c>). Steps run in order, each once; a step
/// is never edited after it has shipped, only followed by a new one.
/// </summary>
public sealed record PostgresMigrationSet(string Module, IReadOnlyList<string> Steps);
