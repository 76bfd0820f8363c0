namespace Cairn.Storage.BuildLogs;

/// <summary>
/// Appends to one build's log. Each line is readable (and wakes followers) as soon as <see cref="Append"/> returns;
/// disposing the writer marks the log complete.
/// </summary>
public interface IBuildLogWriter : IAsyncDisposable
{
    /// <summary>How many events the log holds: the index the next line gets.</summary>
    long Count { get; }

    /// <summary>
    /// Appends one line, without its newline (text holding newlines becomes one event per line), written at
    /// <paramref name="timestamp"/>; a time earlier than the log's last is stored as the last, so times never go back.
    /// Returns <see cref="Count"/> after the append.
    /// </summary>
    long Append(string line, DateTimeOffset timestamp);
}
