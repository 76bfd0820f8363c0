using Cairn.Core.Connections;
using Cairn.Storage.Connections;

namespace Cairn.Application.Connections;

/// <summary>
/// Where a source action's repository is: its connection (which must exist and be AVAILABLE) mapped to a git URL
/// (<see cref="RepositoryUrls"/>), and a local location allowed by <see cref="IRepositoryLocationPolicy"/>. Not authorized:
/// the source action authorizes codestar-connections:UseConnection as the pipeline's role before it asks.
/// </summary>
public sealed class ConnectionRepositories(ICodeConnectionStore store, IRepositoryLocationPolicy locations)
{
    public async Task<RepositoryResolution> ResolveAsync(string connectionArn, string fullRepositoryId, CancellationToken cancellationToken)
    {
        var connection = ConnectionArns.Parse(connectionArn) is { Kind: "connection" } ? await store.GetConnectionAsync(connectionArn, cancellationToken) : null;
        if (connection is null)
        {
            return RepositoryResolution.Failed(
                $"The connection {connectionArn} does not exist. Create one (aws codeconnections create-connection --provider-type GitHub --connection-name NAME, "
                + "or with --host-arn for your own git server) and put its ARN in the action's ConnectionArn.");
        }

        if (connection.Status != ConnectionService.Available)
        {
            return RepositoryResolution.Failed($"The connection {connectionArn} is {connection.Status}, not AVAILABLE; make a new connection and use its ARN.");
        }

        var host = connection.HostArn is null ? null : await store.GetHostAsync(connection.HostArn, cancellationToken);
        if (connection.HostArn is not null && host is null)
        {
            return RepositoryResolution.Failed($"The connection {connectionArn} names host {connection.HostArn}, which no longer exists; create the host again and a connection on it.");
        }

        if (fullRepositoryId.Trim('/').Length == 0 || fullRepositoryId.Contains("..", StringComparison.Ordinal))
        {
            return RepositoryResolution.Failed($"FullRepositoryId '{fullRepositoryId}' is not a repository id: give owner/name, as the provider shows it.");
        }

        var url = RepositoryUrls.Resolve(connection, host, fullRepositoryId);
        if (url is null)
        {
            return RepositoryResolution.Failed($"The connection {connectionArn} of provider {connection.ProviderType} has no public site Cairn knows; connect through a host (create-host with the server's URL).");
        }

        if (url.StartsWith("file://", StringComparison.Ordinal) && await locations.RefusalAsync(url, cancellationToken) is { } refusal)
        {
            return RepositoryResolution.Failed(refusal);
        }

        return new RepositoryResolution(url, connection, null);
    }
}

/// <summary>A resolved repository URL (never logged as it is: see <see cref="RepositoryUrls.Redact"/>), or why there is none.</summary>
public sealed record RepositoryResolution(string? Url, ConnectionRecord? Connection, string? Failure)
{
    public static RepositoryResolution Failed(string failure) => new(null, null, failure);
}
