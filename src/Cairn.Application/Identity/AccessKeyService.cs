using Cairn.Core.Audit;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Storage.Identity;

namespace Cairn.Application.Identity;

/// <summary>
/// IAM users' access keys as an application service: each call authorized as <c>iam:&lt;Action&gt;</c> on the owning
/// user's ARN. Without a user name, an IAM user manages its own keys, as on AWS.
/// </summary>
public sealed class AccessKeyService(IIdentityStore store, UserService users, IAuditLog audit, TimeProvider time)
{
    /// <summary>IAM's quota of access keys per user.</summary>
    public const int MaxAccessKeysPerUser = 2;

    /// <summary>A new active key (with its secret, shown once) for the user, or for the calling IAM user.</summary>
    public async Task<AccessKeyInfo> CreateAccessKeyAsync(RequestContext context, string? userName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = userName ?? UserService.CallerUserName(context)
            ?? throw AwsErrors.InvalidInput("Cairn does not issue access keys for the root user; name an IAM user with UserName.");
        var user = await users.ExistingUserAsync(context, name, "CreateAccessKey", cancellationToken);
        var key = new AccessKeyInfo(IdentityIds.AccessKeyId(), IdentityIds.SecretAccessKey(), context.AccountId, user.UserName, "Active", time.GetUtcNow());
        await store.CreateAccessKeyAsync(key, MaxAccessKeysPerUser, cancellationToken);
        return key;
    }

    /// <summary>The user's keys (secrets are not returned by the wire); the root user has none Cairn lists.</summary>
    public async Task<IReadOnlyList<AccessKeyInfo>> ListAccessKeysAsync(RequestContext context, string? userName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = userName ?? UserService.CallerUserName(context);
        if (name is null)
        {
            await users.AuthorizeAsync(context, "ListAccessKeys", context.Principal.Arn, cancellationToken);
            return [];
        }

        var user = await users.ExistingUserAsync(context, name, "ListAccessKeys", cancellationToken);
        return await store.ListAccessKeysAsync(context.AccountId, user.UserName, cancellationToken);
    }

    /// <summary>Activates or deactivates a key; Cairn takes Active and Inactive (not Expired, which only AWS sets).</summary>
    public async Task UpdateAccessKeyAsync(RequestContext context, string? userName, string accessKeyId, string status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (status is not ("Active" or "Inactive"))
        {
            throw AwsErrors.QueryValidation(status, "status", "Member must satisfy enum value set: [Active, Inactive, Expired]");
        }

        var name = await OwnerOfKeyAsync(context, userName, accessKeyId, cancellationToken);
        await users.AuthorizeAsync(context, "UpdateAccessKey", await users.UserArnAsync(context, name, cancellationToken), cancellationToken);
        await store.UpdateAccessKeyAsync(context.AccountId, name, accessKeyId, status, cancellationToken);
    }

    public async Task DeleteAccessKeyAsync(RequestContext context, string? userName, string accessKeyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = await OwnerOfKeyAsync(context, userName, accessKeyId, cancellationToken);
        await users.AuthorizeAsync(context, "DeleteAccessKey", await users.UserArnAsync(context, name, cancellationToken), cancellationToken);
        await store.DeleteAccessKeyAsync(context.AccountId, name, accessKeyId, cancellationToken);
    }

    /// <summary>
    /// The key with its last use (<see cref="IAuditLog.AccessKeyLastUsesAsync"/>); a key of another account, or temporary
    /// credentials (not an IAM access key), is AccessDenied, as on AWS (not NoSuchEntity).
    /// </summary>
    public async Task<AccessKeyInfo> GetAccessKeyLastUsedAsync(RequestContext context, string accessKeyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = await store.FindAccessKeyAsync(accessKeyId, cancellationToken);
        if (key is null || key.AccountId != context.AccountId)
        {
            throw AwsErrors.QueryAccessDenied($"User: {context.Principal.Arn} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key {accessKeyId}");
        }

        await users.AuthorizeAsync(context, "GetAccessKeyLastUsed", await users.UserArnAsync(context, key.UserName, cancellationToken), cancellationToken);
        return (await WithLastUseAsync([key], cancellationToken))[0];
    }

    /// <summary>The keys with their last uses from the audit trail's table of them (one read for all).</summary>
    public async Task<IReadOnlyList<AccessKeyInfo>> WithLastUseAsync(IReadOnlyList<AccessKeyInfo> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return keys;
        }

        var uses = await audit.AccessKeyLastUsesAsync(keys.Select(k => k.AccessKeyId).ToList(), cancellationToken);
        return keys.Select(key => uses.TryGetValue(key.AccessKeyId, out var use)
            ? key with { LastUsedDate = use.Time, LastUsedService = use.Service, LastUsedRegion = use.Region }
            : key).ToList();
    }

    /// <summary>The user a key operation is about: UserName, else the caller itself (an IAM user managing its own keys), else the key's owner.</summary>
    private async Task<string> OwnerOfKeyAsync(RequestContext context, string? userName, string accessKeyId, CancellationToken cancellationToken)
    {
        if ((userName ?? UserService.CallerUserName(context)) is { } name)
        {
            return name;
        }

        var key = await store.FindAccessKeyAsync(accessKeyId, cancellationToken);
        return key is not null && key.AccountId == context.AccountId ? key.UserName : throw AwsErrors.NoSuchAccessKey(accessKeyId);
    }
}
