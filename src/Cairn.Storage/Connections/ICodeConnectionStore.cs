using Cairn.Core.Connections;
using Cairn.Core.Pipelines;

namespace Cairn.Storage.Connections;

/// <summary>
/// Where CodeConnections keeps connections and hosts, per account and region, keyed by kind and id (so a codestar-connections
/// ARN and a codeconnections ARN of the same resource find it), and what change detection has seen of each pipeline's
/// source refs. A PostgreSQL store implements the same contract (CodeConnectionStoreContractTests).
/// </summary>
public interface ICodeConnectionStore
{
    /// <summary>Stores a new connection; false when its id is taken.</summary>
    Task<bool> CreateConnectionAsync(ConnectionRecord connection, CancellationToken cancellationToken);

    /// <summary>The connection with this ARN (either service's form), or null.</summary>
    Task<ConnectionRecord?> GetConnectionAsync(string arn, CancellationToken cancellationToken);

    /// <summary>Connections of the scope in creation order after <paramref name="after"/> (an id, exclusive), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ConnectionRecord>> ListConnectionsAsync(
        string accountId, string region, string? providerType, string? hostArn, string? after, int limit, CancellationToken cancellationToken);

    Task<bool> DeleteConnectionAsync(string arn, CancellationToken cancellationToken);

    Task<bool> CreateHostAsync(HostRecord host, CancellationToken cancellationToken);

    Task<HostRecord?> GetHostAsync(string arn, CancellationToken cancellationToken);

    Task<IReadOnlyList<HostRecord>> ListHostsAsync(string accountId, string region, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the host unless a connection uses it: <see cref="HostDeletion.Deleted"/>, <see cref="HostDeletion.NotFound"/>,
    /// or the number of connections in the way (checked and deleted in one transaction).
    /// </summary>
    Task<HostDeletion> DeleteHostAsync(string arn, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the tags of the connection or host with what <paramref name="change"/> makes of them, in one transaction (an
    /// exception from it leaves them as they were); null when there is no such resource.
    /// </summary>
    Task<IReadOnlyList<ConnectionTag>?> UpdateTagsAsync(
        string arn, Func<IReadOnlyList<ConnectionTag>, IReadOnlyList<ConnectionTag>> change, CancellationToken cancellationToken);

    /// <summary>The commit last seen at each ref (refs/heads/main, refs/tags/v1) of a pipeline's source action; empty when never polled.</summary>
    Task<IReadOnlyDictionary<string, string>> GetSeenRevisionsAsync(PipelineScope scope, string pipelineName, string actionName, CancellationToken cancellationToken);

    /// <summary>Records what was seen: each ref's commit (refs not named are left as they are).</summary>
    Task SetSeenRevisionsAsync(
        PipelineScope scope, string pipelineName, string actionName, IReadOnlyDictionary<string, string> revisions, CancellationToken cancellationToken);
}

/// <summary>What DeleteHostAsync did: deleted, not found, or refused because <see cref="ConnectionsInUse"/> connections use the host.</summary>
public sealed record HostDeletion(bool Found, int ConnectionsInUse)
{
    public static HostDeletion Deleted { get; } = new(true, 0);

    public static HostDeletion NotFound { get; } = new(false, 0);
}
