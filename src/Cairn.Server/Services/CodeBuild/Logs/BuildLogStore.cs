using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Cairn.Server.Hosting;

namespace Cairn.Server.Services.CodeBuild.Logs;

/// <summary>
/// Build logs on disk: &lt;builds&gt;/&lt;uuid&gt;/log holds one line per event, "&lt;unix ms&gt;\t&lt;text&gt;", already masked.
/// Writers signal readers that follow a running build, so `cairn logs --follow` sees lines as they are written.
/// </summary>
internal sealed class BuildLogStore
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _changed = new(StringComparer.Ordinal);

    public BuildLogStore(CairnServerOptions server, CodeBuildOptions options)
    {
        Root = Path.GetFullPath(options.BuildsDirectory ?? Path.Combine(server.DataDirectory, "builds"));
        Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The directory holding one subdirectory per build.</summary>
    public string Root { get; }

    public string DirectoryOf(string uuid) => Path.Combine(Root, CheckUuid(uuid));

    public string LogPathOf(string uuid) => Path.Combine(DirectoryOf(uuid), "log");

    /// <summary>A writer that appends to the build's log; pass it the masked output. <paramref name="onLine"/> sees each line written.</summary>
    public BuildLogWriter OpenWriter(string uuid, TimeProvider time, Action<string>? onLine = null)
    {
        var directory = DirectoryOf(uuid);
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new BuildLogWriter(LogPathOf(uuid), time, () => Signal(uuid), onLine);
    }

    /// <summary>Events from <paramref name="fromIndex"/> on, at most <paramref name="limit"/>; empty when the build has no log yet.</summary>
    public IReadOnlyList<LogEvent> Read(string uuid, long fromIndex = 0, int limit = int.MaxValue)
    {
        var events = new List<LogEvent>();
        var path = LogPathOf(uuid);
        if (!File.Exists(path) || limit <= 0)
        {
            return events;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        long index = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (index >= fromIndex)
            {
                events.Add(Parse(index, line));
                if (events.Count >= limit)
                {
                    break;
                }
            }

            index++;
        }

        return events;
    }

    /// <summary>Number of events in the build's log so far.</summary>
    public long Count(string uuid)
    {
        var path = LogPathOf(uuid);
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long count = 0;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            count += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return count;
    }

    /// <summary>Completes when the build's log changes (or after <paramref name="timeout"/>).</summary>
    public async Task WaitForChangeAsync(string uuid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var changed = _changed.GetOrAdd(uuid, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await changed.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Readers poll as well, so a missed signal only delays them.
        }
    }

    /// <summary>Wakes every reader following the build (also when it ends).</summary>
    public void Signal(string uuid)
    {
        if (_changed.TryRemove(uuid, out var changed))
        {
            changed.TrySetResult();
        }
    }

    public void Delete(string uuid)
    {
        var directory = DirectoryOf(uuid);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static LogEvent Parse(long index, string line)
    {
        var tab = line.IndexOf('\t', StringComparison.Ordinal);
        var ms = tab > 0 && long.TryParse(line.AsSpan(0, tab), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        return new LogEvent(index, DateTimeOffset.FromUnixTimeMilliseconds(ms), line[(tab + 1)..] + "\n");
    }

    /// <summary>Uuids come from requests: never let one name a path outside the builds directory.</summary>
    private static string CheckUuid(string uuid) =>
        Guid.TryParseExact(uuid, "D", out _) ? uuid : throw new ArgumentException($"'{uuid}' is not a build uuid.", nameof(uuid));
}
