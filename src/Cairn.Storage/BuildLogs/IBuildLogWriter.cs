namespace Cairn.Storage.BuildLogs;

/// <summary>
/// Appends to one build's log. Each line is readable (and wakes followers) as soon as <see cref="Append"/> returns;
/// lines added with <see cref="AppendBatched"/> are written together at the next <see cref="Flush"/>. Disposing the
/// writer flushes and marks the log complete.
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

    /// <summary>
    /// Appends like <see cref="Append"/>, but the line is written (for readers in other processes, and safe from this
    /// process's crash) and followers are woken only at the next <see cref="Flush"/> or <see cref="Append"/>, or when
    /// 64 KiB are waiting: a batch of lines costs a write, not one per line. Readers through this store find it at once.
    /// </summary>
    long AppendBatched(string line, DateTimeOffset timestamp);

    /// <summary>Writes out the lines appended so far and wakes followers.</summary>
    void Flush();
}
