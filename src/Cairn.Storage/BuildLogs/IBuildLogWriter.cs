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

    /// <summary>
    /// Appends a block of lines like <see cref="AppendBatched"/>, all at <paramref name="timestamp"/>: <paramref name="lines"/>
    /// is UTF-8 and each line ends in '\n' (a last line without one is a line too). A build's command output arrives so,
    /// a chunk at a time; a store that can write the bytes as they are overrides this. Returns <see cref="Count"/> after.
    /// </summary>
    long AppendBlock(ReadOnlySpan<byte> lines, DateTimeOffset timestamp)
    {
        var count = Count;
        while (!lines.IsEmpty)
        {
            var newline = lines.IndexOf((byte)'\n');
            var line = newline < 0 ? lines : lines[..newline];
            count = AppendBatched(System.Text.Encoding.UTF8.GetString(line), timestamp);
            lines = newline < 0 ? default : lines[(newline + 1)..];
        }

        return count;
    }

    /// <summary>Writes out the lines appended so far and wakes followers.</summary>
    void Flush();
}
