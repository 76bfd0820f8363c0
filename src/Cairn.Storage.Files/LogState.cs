using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage.Files;

/// <summary>
/// What the store knows of one log, shared by its writer and its readers, guarded by <see cref="Gate"/>: how far the
/// index goes, whether the log is complete, its writer, and the signal followers wait on.
/// </summary>
internal sealed class LogState(string uuid, string logPath, string indexPath)
{
    private TaskCompletionSource? _changed;
    private bool _loaded;

    public Lock Gate { get; } = new();

    public string Uuid { get; } = uuid;

    public string LogPath { get; } = logPath;

    public string IndexPath { get; } = indexPath;

    /// <summary>Index and log as last seen; <see cref="IndexHead.Bytes"/> is the end of the last indexed line.</summary>
    public IndexHead Head { get; set; }

    /// <summary>Whether the log file existed when last seen.</summary>
    public bool Exists { get; set; }

    public FileBuildLogWriter? Writer { get; set; }

    /// <summary>No writer holds the log and no follower waits on it: the store may let this state go.</summary>
    public bool Idle => Writer is null && _changed is null;

    /// <summary>Completes on the next append, completion or deletion; made only when a follower asks, so appends cost nothing without one.</summary>
    public Task Changed() => (_changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Signal()
    {
        var changed = _changed;
        _changed = null;
        changed?.TrySetResult();
    }

    /// <summary>
    /// Brings <see cref="Head"/> up to date with the files (call under <see cref="Gate"/>): a log written before it had
    /// an index, or past its index (a crash between the two writes, another process), has its missing lines indexed,
    /// reading only those. Nothing to do while this process's writer keeps the index current.
    /// </summary>
    public void Refresh(ReadMeter meter)
    {
        if (Writer is not null)
        {
            return;
        }

        var log = new FileInfo(LogPath);
        Exists = log.Exists;
        if (!Exists)
        {
            (Head, _loaded) = (default, false);
            return;
        }

        if (_loaded && Head.Bytes == log.Length)
        {
            return;
        }

        using var index = File.OpenHandle(IndexPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var head = LogIndex.Load(index, meter);
        if (head.Bytes > log.Length)
        {
            LogIndex.Reset(index);
            head = new IndexHead(0, 0, 0, 0, head.Complete);
        }

        Head = head.Bytes < log.Length ? IndexTail(index, head, log.Length, meter) : head;
        _loaded = true;
    }

    /// <summary>Indexes the complete lines between the end of the index and <paramref name="logLength"/>.</summary>
    private IndexHead IndexTail(SafeFileHandle index, IndexHead head, long logLength, ReadMeter meter)
    {
        using var log = File.OpenHandle(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var lines = new LineReader(log, head.Bytes, logLength, meter);
        var batch = new byte[LogIndex.RecordSize * 4096];
        var used = 0;
        var (count, firstMs, lastMs) = (head.Count, head.FirstMs, head.LastMs);
        long end = head.Bytes;
        while (lines.TryNext(out var line, out end))
        {
            var ms = count == 0 ? LogLine.UnixMs(line) : Math.Max(lastMs, LogLine.UnixMs(line));
            firstMs = count == 0 ? ms : firstMs;
            (lastMs, count) = (ms, count + 1);
            LogIndex.WriteRecord(batch.AsSpan(used), end, ms);
            used += LogIndex.RecordSize;
            if (used == batch.Length)
            {
                RandomAccess.Write(index, batch, LogIndex.Position(count) - used);
                used = 0;
            }
        }

        RandomAccess.Write(index, batch.AsSpan(0, used), LogIndex.Position(count) - used);
        return new IndexHead(count, end, firstMs, lastMs, head.Complete);
    }
}
