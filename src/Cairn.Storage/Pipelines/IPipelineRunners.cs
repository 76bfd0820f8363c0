namespace Cairn.Storage.Pipelines;

/// <summary>
/// The server processes that run pipeline actions, for servers sharing one database: each says it is alive every few
/// seconds (a heartbeat), so another server can tell an action whose runner is gone (to run it again) from one that is
/// still running elsewhere (to leave alone); and one pipeline's gate held across every process, so two servers never
/// move one pipeline's executions at the same time.
/// </summary>
public interface IPipelineRunners
{
    /// <summary>Records that <paramref name="runner"/> is alive at <paramref name="now"/>.</summary>
    Task HeartbeatAsync(string runner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every runner's last heartbeat.</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Forgets <paramref name="runner"/> (it stopped): its actions are any server's to run again at once.</summary>
    Task ForgetAsync(string runner, CancellationToken cancellationToken);

    /// <summary>
    /// Holds the pipeline's gate across every process that shares the store until the result is disposed; waits while
    /// another holds it. On a store only one server process uses (SQLite's data directory), the caller's own gate is the
    /// whole gate and this returns at once.
    /// </summary>
    Task<IAsyncDisposable> LockPipelineAsync(string accountId, string region, string pipelineName, CancellationToken cancellationToken);
}
