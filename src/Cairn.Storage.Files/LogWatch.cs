namespace Cairn.Storage.Files;

/// <summary>
/// The kernel's notification (inotify on Linux, one instance shared by the process's watchers) that a log's files
/// changed: its directory, or while it does not exist yet the root for its creation. What a follower of a log written by
/// another process waits on, so an open tab costs no polling. Changes call <c>changed</c>, which may run more than once.
/// </summary>
internal sealed class LogWatch : IDisposable
{
    private readonly FileSystemWatcher? _watcher;

    private LogWatch(FileSystemWatcher? watcher) => _watcher = watcher;

    /// <summary>Whether the kernel watches the log; false when it could not (out of inotify watches): the caller then polls.</summary>
    public bool Watching => _watcher is not null;

    public static LogWatch Start(string root, string directory, Action changed)
    {
        try
        {
            var exists = Directory.Exists(directory);
            var watcher = new FileSystemWatcher(exists ? directory : root, exists ? "*" : Path.GetFileName(directory))
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.LastWrite,
                IncludeSubdirectories = false,
            };
            watcher.Changed += (_, _) => changed();
            watcher.Created += (_, _) => changed();
            watcher.Deleted += (_, _) => changed();
            watcher.Renamed += (_, _) => changed();
            watcher.Error += (_, _) => changed();
            watcher.EnableRaisingEvents = true;
            if (!exists && Directory.Exists(directory))
            {
                // Created between the look and the watch: its files are watched from the next wait on.
                changed();
            }

            return new LogWatch(watcher);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            return new LogWatch(null);
        }
    }

    public void Dispose() => _watcher?.Dispose();
}
