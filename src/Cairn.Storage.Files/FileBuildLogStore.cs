using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Cairn.Storage.BuildLogs;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage.Files;

/// <summary>
/// Build logs on local disk: &lt;root&gt;/&lt;uuid&gt;/log holds one line per event, "&lt;unix ms&gt;\t&lt;text&gt;\n" (the
/// format Cairn always wrote), and log.idx beside it the offset and time of each line (<see cref="LogIndex"/>), so a
/// range, a time bound or a resumed search starts at its line without reading the lines before it. A log written
/// before the index existed is indexed on first read, once. Followers are woken, never polling: by this process's
/// appends, and by the kernel's file notifications (<see cref="LogWatch"/>) for a log another process writes.
/// </summary>
public sealed class FileBuildLogStore : IBuildLogStore
{
    /// <summary>How often a follower looks at the files when the kernel cannot watch them (out of inotify watches): the fallback only.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private const int FollowPageSize = 1000;

    private readonly ConcurrentDictionary<string, LogState> _logs = new(StringComparer.Ordinal);

    public FileBuildLogStore(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The directory holding one subdirectory per build.</summary>
    public string Root { get; }

    /// <summary>How many logs the store holds state for: those with a writer or a follower waiting.</summary>
    internal int LogsInUse => _logs.Count;

    /// <summary>Bytes read from log and index files so far.</summary>
    internal ReadMeter Meter { get; } = new();

    /// <summary>How many times followers have looked at a log: once per page returned or wake-up, never on a clock.</summary>
    internal long FollowerLooks => Interlocked.Read(ref _followerLooks);

    private long _followerLooks;

    public IBuildLogWriter OpenWriter(string buildUuid) => Locked(buildUuid, state =>
    {
        var writer = new FileBuildLogWriter(Prepare(state, buildUuid), Release);
        state.Signal();
        return writer;
    });

    public ValueTask<BuildLogInfo> DescribeAsync(string buildUuid, CancellationToken cancellationToken)
    {
        var (_, exists, head) = Snapshot(buildUuid);
        return ValueTask.FromResult(!exists ? BuildLogInfo.None : new BuildLogInfo(
            head.Count,
            head.Count == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(head.FirstMs),
            head.Count == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(head.LastMs),
            head.Complete));
    }

    public ValueTask<long> StoredBytesAsync(string buildUuid, CancellationToken cancellationToken)
    {
        var (_, exists, head) = Snapshot(buildUuid);
        return ValueTask.FromResult(exists ? head.Bytes : 0L);
    }

    public ValueTask<BuildLogPage> ReadAsync(string buildUuid, BuildLogRange range, CancellationToken cancellationToken)
    {
        var (state, exists, head) = Snapshot(buildUuid);
        if (!exists || head.Count == 0 || range.Limit <= 0)
        {
            return ValueTask.FromResult(new BuildLogPage([], head.Count, head.Complete));
        }

        using var index = OpenRead(state.IndexPath);
        var (from, to) = Bounds(index, head.Count, range.From, range.To, range.Since, range.Until);
        if (from >= to)
        {
            return ValueTask.FromResult(new BuildLogPage([], head.Count, head.Complete));
        }

        (from, to) = range.FromEnd ? (Math.Max(from, to - range.Limit), to) : (from, Math.Min(to, from + range.Limit));
        var events = new List<BuildLogEvent>((int)Math.Min(to - from, 1024));
        using var log = OpenRead(state.LogPath);
        using var lines = new LineReader(log, LogIndex.StartOf(index, from, Meter), LogIndex.ReadRecord(index, to - 1, Meter).End, Meter);
        for (var i = from; i < to && lines.TryNext(out var line, out _); i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            events.Add(LogLine.Parse(i, line));
        }

        return ValueTask.FromResult(new BuildLogPage(events, head.Count, head.Complete));
    }

    public ValueTask<BuildLogSearchResult> SearchAsync(string buildUuid, BuildLogSearch search, CancellationToken cancellationToken)
    {
        var (state, exists, head) = Snapshot(buildUuid);
        var events = new List<BuildLogEvent>();
        if (!exists || head.Count == 0)
        {
            return ValueTask.FromResult(new BuildLogSearchResult(events, null));
        }

        using var index = OpenRead(state.IndexPath);
        var (from, to) = Bounds(index, head.Count, search.From, long.MaxValue, search.Since, search.Until);
        if (from >= to)
        {
            return ValueTask.FromResult(new BuildLogSearchResult(events, null));
        }

        using var log = OpenRead(state.LogPath);
        using var lines = new LineReader(log, LogIndex.StartOf(index, from, Meter), LogIndex.ReadRecord(index, to - 1, Meter).End, Meter);
        for (var i = from; i < to && lines.TryNext(out var line, out _); i++)
        {
            if ((i & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (!search.Matches(LogLine.Message(line)))
            {
                continue;
            }

            if (events.Count >= search.Limit)
            {
                return ValueTask.FromResult(new BuildLogSearchResult(events, i));
            }

            events.Add(LogLine.Parse(i, line));
        }

        return ValueTask.FromResult(new BuildLogSearchResult(events, null));
    }

    public async IAsyncEnumerable<BuildLogPage> FollowAsync(string buildUuid, long fromIndex, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = Math.Max(0, fromIndex);
        while (true)
        {
            Interlocked.Increment(ref _followerLooks);

            // Both taken before reading, so an append between the read and the wait is not missed. Only a log no writer in
            // this process holds is watched: this process's appends signal by themselves.
            var (changed, writtenHere, directory) = Locked(buildUuid, state => (state.Changed(), state.Writer is not null, Path.GetDirectoryName(state.LogPath)!));
            using var watch = writtenHere ? null : LogWatch.Start(Root, directory, () => Locked(buildUuid, state =>
            {
                state.Signal();
                return true;
            }));

            var page = await ReadAsync(buildUuid, new BuildLogRange { From = next, Limit = FollowPageSize }, cancellationToken);
            if (page.Events.Count > 0)
            {
                next = page.Events[^1].Index + 1;
                yield return page;
                continue;
            }

            if (page.IsComplete)
            {
                yield break;
            }

            if (writtenHere || watch is { Watching: true })
            {
                await changed.WaitAsync(cancellationToken);
                continue;
            }

            try
            {
                await changed.WaitAsync(PollInterval, cancellationToken);
            }
            catch (TimeoutException)
            {
                // No watch could be made: looks at the files again, another process may have written them.
            }
        }
    }

    public ValueTask CompleteAsync(string buildUuid, CancellationToken cancellationToken)
    {
        Locked(buildUuid, state =>
        {
            if (!Prepare(state, buildUuid).Exists || !state.Head.Complete)
            {
                // A writer opened and completed at once: creates the files when there are none, and completes the log.
                new FileBuildLogWriter(state, Release).Complete();
            }

            return state;
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync(string buildUuid, CancellationToken cancellationToken)
    {
        var state = Locked(buildUuid, state =>
        {
            if (state.Writer is not null)
            {
                throw new InvalidOperationException($"The log of build {buildUuid} is open for writing.");
            }

            var directory = Path.GetDirectoryName(state.LogPath)!;
            if (Directory.Exists(directory))
            {
                File.Delete(state.LogPath);
                File.Delete(state.IndexPath);
            }

            state.Refresh(Meter);
            state.Signal();
            return state;
        });
        var emptied = Path.GetDirectoryName(state.LogPath)!;
        if (Directory.Exists(emptied) && !Directory.EnumerateFileSystemEntries(emptied).Any())
        {
            Directory.Delete(emptied);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the log's state under its gate. A state no writer or follower needs is let go
    /// afterwards (the files hold all it knew), so the store keeps only the logs in use, whatever it has read.
    /// </summary>
    private T Locked<T>(string uuid, Func<LogState, T> action)
    {
        CheckUuid(uuid);
        while (true)
        {
            var state = _logs.GetOrAdd(uuid, u => new LogState(u, Path.Combine(Root, u, "log"), Path.Combine(Root, u, "log.idx")));
            lock (state.Gate)
            {
                if (!_logs.TryGetValue(uuid, out var current) || !ReferenceEquals(current, state))
                {
                    // Let go between the two lines above: the one in the dictionary now is the log's.
                    continue;
                }

                try
                {
                    return action(state);
                }
                finally
                {
                    Release(state);
                }
            }
        }
    }

    /// <summary>Lets the state go when no writer or follower needs it (call under its gate).</summary>
    private void Release(LogState state)
    {
        if (state.Idle)
        {
            _logs.TryRemove(new KeyValuePair<string, LogState>(state.Uuid, state));
        }
    }

    /// <summary>Under the log's gate, before it is written: no writer may hold it; its directory exists and its head is current.</summary>
    private LogState Prepare(LogState state, string uuid)
    {
        if (state.Writer is not null)
        {
            throw new InvalidOperationException($"The log of build {uuid} is already open for writing; dispose that writer first.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(state.LogPath)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        state.Refresh(Meter);
        return state;
    }

    private (LogState State, bool Exists, IndexHead Head) Snapshot(string uuid) => Locked(uuid, state =>
    {
        state.Refresh(Meter);
        state.Writer?.Flush();
        return (state, state.Exists, state.Head);
    });

    /// <summary>The lines in [<paramref name="from"/>, <paramref name="to"/>) of the first <paramref name="count"/> written in [since, until).</summary>
    private (long From, long To) Bounds(SafeFileHandle index, long count, long from, long to, DateTimeOffset? since, DateTimeOffset? until)
    {
        from = Math.Clamp(from, 0, count);
        to = Math.Clamp(to, from, count);
        if (since is { } start)
        {
            from = LogIndex.FirstAtOrAfter(index, from, to, start.ToUnixTimeMilliseconds(), Meter);
        }

        if (until is { } end)
        {
            to = LogIndex.FirstAtOrAfter(index, from, to, end.ToUnixTimeMilliseconds(), Meter);
        }

        return (from, to);
    }

    private static SafeFileHandle OpenRead(string path) => File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>Uuids come from requests: never let one name a path outside the root.</summary>
    private static string CheckUuid(string uuid) =>
        Guid.TryParseExact(uuid, "D", out _) ? uuid : throw new ArgumentException($"'{uuid}' is not a build uuid.", nameof(uuid));
}
