using Cairn.Core.Connections;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.Connections;

namespace Cairn.Application.Connections;

/// <summary>
/// Connections and hosts as an application service, spoken by both CodeStar connections and CodeConnections: each call
/// names the service it came through (<see cref="ConnectionArns.CodeStar"/> or <see cref="ConnectionArns.CodeConnections"/>),
/// which is the prefix of the action it authorizes and of the ARNs it makes. Cairn has no OAuth handshake, so a
/// connection is AVAILABLE as soon as it is made.
/// </summary>
public sealed class ConnectionService(ICodeConnectionStore store, IAuthorizer authorizer, IRepositoryLocationPolicy locations, TimeProvider time)
{
    public const string Available = "AVAILABLE";
    public const int MaxTags = 200;

    public async Task<HostRecord> CreateHostAsync(
        RequestContext context, string service, string name, string providerType, string endpoint, IReadOnlyList<ConnectionTag> tags, CancellationToken cancellationToken)
    {
        var arn = ConnectionArns.Host(service, context.Region, context.AccountId, name, Guid.NewGuid());
        await AuthorizeAsync(context, service, "CreateHost", arn, cancellationToken);
        await CheckEndpointAsync(endpoint, cancellationToken);
        var host = new HostRecord(arn, name, context.AccountId, context.Region, providerType, endpoint, Available, time.GetUtcNow(), Merge([], tags));
        return await store.CreateHostAsync(host, cancellationToken) ? host : throw new InvalidOperationException("host id collision");
    }

    public async Task<HostRecord> GetHostAsync(RequestContext context, string service, string arn, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, service, "GetHost", arn, cancellationToken);
        return InScope(context, arn) && await store.GetHostAsync(arn, cancellationToken) is { } host ? host : throw AwsErrors.HostNotFound(arn);
    }

    public async Task<IReadOnlyList<HostRecord>> ListHostsAsync(RequestContext context, string service, string? after, int limit, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, service, "ListHosts", "*", cancellationToken);
        return await store.ListHostsAsync(context.AccountId, context.Region, after, limit, cancellationToken);
    }

    public async Task DeleteHostAsync(RequestContext context, string service, string arn, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, service, "DeleteHost", arn, cancellationToken);
        var deletion = InScope(context, arn) ? await store.DeleteHostAsync(arn, cancellationToken) : HostDeletion.NotFound;
        if (!deletion.Found)
        {
            throw AwsErrors.HostNotFound(arn);
        }

        if (deletion.ConnectionsInUse > 0)
        {
            throw AwsErrors.HostInUse(arn, deletion.ConnectionsInUse);
        }
    }

    public async Task<ConnectionRecord> CreateConnectionAsync(
        RequestContext context, string service, string name, string? providerType, string? hostArn, IReadOnlyList<ConnectionTag> tags, CancellationToken cancellationToken)
    {
        var arn = ConnectionArns.Connection(service, context.Region, context.AccountId, Guid.NewGuid());
        await AuthorizeAsync(context, service, "CreateConnection", arn, cancellationToken);
        if (hostArn is not null)
        {
            var host = InScope(context, hostArn) ? await store.GetHostAsync(hostArn, cancellationToken) : null;
            if (host is null)
            {
                throw AwsErrors.HostNotFound(hostArn);
            }

            if (providerType is not null && providerType != host.ProviderType)
            {
                throw AwsErrors.ConnectionProviderMismatch(providerType, host.ProviderType);
            }

            providerType = host.ProviderType;
        }
        else if (providerType is null)
        {
            throw AwsErrors.ConnectionNeedsProvider();
        }
        else if (RepositoryUrls.NeedsHost(providerType) || providerType == "AzureDevOps")
        {
            throw AwsErrors.ConnectionProviderNeedsHost(providerType);
        }

        var connection = new ConnectionRecord(arn, name, context.AccountId, context.Region, providerType, hostArn, Available, time.GetUtcNow(), Merge([], tags));
        return await store.CreateConnectionAsync(connection, cancellationToken) ? connection : throw new InvalidOperationException("connection id collision");
    }

    public async Task<ConnectionRecord> GetConnectionAsync(RequestContext context, string service, string arn, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, service, "GetConnection", arn, cancellationToken);
        return InScope(context, arn) && await store.GetConnectionAsync(arn, cancellationToken) is { } connection ? connection : throw AwsErrors.ConnectionNotFound(arn);
    }

    public async Task<IReadOnlyList<ConnectionRecord>> ListConnectionsAsync(
        RequestContext context, string service, string? providerType, string? hostArn, string? after, int limit, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, service, "ListConnections", "*", cancellationToken);
        return await store.ListConnectionsAsync(context.AccountId, context.Region, providerType, hostArn, after, limit, cancellationToken);
    }

    public async Task DeleteConnectionAsync(RequestContext context, string service, string arn, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, service, "DeleteConnection", arn, cancellationToken);
        if (!InScope(context, arn) || !await store.DeleteConnectionAsync(arn, cancellationToken))
        {
            throw AwsErrors.ConnectionNotFound(arn);
        }
    }

    public async Task<IReadOnlyList<ConnectionTag>> ListTagsAsync(RequestContext context, string service, string arn, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, service, "ListTagsForResource", arn, cancellationToken);
        return await UpdateTagsAsync(context, arn, current => current, cancellationToken);
    }

    public async Task TagAsync(RequestContext context, string service, string arn, IReadOnlyList<ConnectionTag> tags, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, service, "TagResource", arn, cancellationToken);
        _ = await UpdateTagsAsync(context, arn, current => Merge(current, tags), cancellationToken);
    }

    public async Task UntagAsync(RequestContext context, string service, string arn, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, service, "UntagResource", arn, cancellationToken);
        _ = await UpdateTagsAsync(context, arn, current => current.Where(t => !keys.Contains(t.Key, StringComparer.Ordinal)).ToList(), cancellationToken);
    }

    private async Task<IReadOnlyList<ConnectionTag>> UpdateTagsAsync(
        RequestContext context, string arn, Func<IReadOnlyList<ConnectionTag>, IReadOnlyList<ConnectionTag>> change, CancellationToken cancellationToken) =>
        (InScope(context, arn) ? await store.UpdateTagsAsync(arn, change, cancellationToken) : null) ?? throw AwsErrors.ConnectionResourceNotFound(arn);

    /// <summary>The tags after <paramref name="added"/>: a key already there takes the new value; keys starting "aws:" are refused.</summary>
    private static List<ConnectionTag> Merge(IReadOnlyList<ConnectionTag> current, IReadOnlyList<ConnectionTag> added)
    {
        if (added.FirstOrDefault(t => t.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)) is { } reserved)
        {
            throw AwsErrors.ConnectionReservedTagKey(reserved.Key);
        }

        var last = added.GroupBy(t => t.Key, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        var merged = current.Where(t => !last.Any(a => a.Key == t.Key)).Concat(last).ToList();
        return merged.Count > MaxTags ? throw AwsErrors.ConnectionTagsLimit(merged.Count) : merged;
    }

    private async Task CheckEndpointAsync(string endpoint, CancellationToken cancellationToken)
    {
        if (endpoint.StartsWith('/') || endpoint.StartsWith("file://", StringComparison.Ordinal))
        {
            if (await locations.RefusalAsync(endpoint, cancellationToken) is { } refusal)
            {
                throw AwsErrors.HostEndpointRefused(refusal);
            }

            return;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http" or "ssh" or "git"))
        {
            throw AwsErrors.HostEndpointInvalid(endpoint);
        }

        if (uri.UserInfo.Contains(':', StringComparison.Ordinal) || (uri.UserInfo.Length > 0 && uri.Scheme is "https" or "http"))
        {
            throw AwsErrors.HostEndpointHasCredentials();
        }
    }

    private static bool InScope(RequestContext context, string arn) =>
        ConnectionArns.Parse(arn) is { } parsed && parsed.AccountId == context.AccountId && parsed.Region == context.Region;

    private ValueTask AuthorizeAsync(RequestContext context, string service, string action, string resourceArn, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, service + ":" + action, resourceArn, cancellationToken);
}
