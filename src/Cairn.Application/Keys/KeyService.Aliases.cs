using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;

namespace Cairn.Application.Keys;

/// <summary>CreateAlias, ListAliases.</summary>
public sealed partial class KeyService
{
    /// <summary>Points a new alias at a customer managed key (a key id or key ARN, not another alias).</summary>
    public async Task CreateAliasAsync(RequestContext context, string aliasName, string targetKeyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(aliasName);
        if (!aliasName.StartsWith("alias/", StringComparison.Ordinal))
        {
            throw AwsErrors.KmsAliasPrefixRequired();
        }

        if (aliasName.Contains(':', StringComparison.Ordinal))
        {
            throw AwsErrors.KmsAliasInvalidCharacters(aliasName);
        }

        if (aliasName.StartsWith(AwsManagedKeys.ReservedPrefix, StringComparison.Ordinal))
        {
            throw AwsErrors.KmsAliasReserved(aliasName);
        }

        if (aliasName.Length == "alias/".Length)
        {
            throw AwsErrors.KmsAliasEmpty(aliasName);
        }

        var scope = ScopeOf(context);
        var aliasArn = KeyArns.Alias(scope, aliasName);
        await authorizer.AuthorizeAsync(context, "kms:CreateAlias", aliasArn, cancellationToken);
        var key = await AuthorizedKeyAsync(context, targetKeyId, "kms:CreateAlias", allowAlias: false, cancellationToken);
        DenyAwsManaged(context, key, "kms:CreateAlias");
        NotPendingDeletion(key);

        var now = time.GetUtcNow();
        if (!await store.TryInsertAliasAsync(new AliasRecord(scope, aliasName, key.KeyId, now, now), cancellationToken))
        {
            throw AwsErrors.KmsAliasAlreadyExists(aliasArn);
        }
    }

    /// <summary>Points an existing alias at another customer managed key: kms:UpdateAlias on the alias, the old key and the new key.</summary>
    public async Task UpdateAliasAsync(RequestContext context, string aliasName, string targetKeyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (scope, alias) = await ExistingAliasAsync(context, aliasName, "kms:UpdateAlias", cancellationToken);
        var current = await AuthorizedKeyAsync(context, alias.TargetKeyId, "kms:UpdateAlias", allowAlias: false, cancellationToken);
        var key = await AuthorizedKeyAsync(context, targetKeyId, "kms:UpdateAlias", allowAlias: false, cancellationToken);
        DenyAwsManaged(context, key, "kms:UpdateAlias");
        NotPendingDeletion(key);
        if (KeyFamily(current.KeySpec) != KeyFamily(key.KeySpec) || current.KeyUsage != key.KeyUsage)
        {
            throw AwsErrors.KmsAliasKeyType(alias.AliasName, current.KeySpec, current.KeyUsage, key.KeySpec, key.KeyUsage);
        }
        if (!await store.UpdateAliasAsync(scope, alias.AliasName, key.KeyId, time.GetUtcNow(), cancellationToken))
        {
            throw AwsErrors.KmsAliasNotFound(alias.Arn);
        }
    }

    /// <summary>Deletes an alias (not its key): kms:DeleteAlias on the alias and on its key.</summary>
    public async Task DeleteAliasAsync(RequestContext context, string aliasName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (scope, alias) = await ExistingAliasAsync(context, aliasName, "kms:DeleteAlias", cancellationToken);
        await AuthorizedKeyAsync(context, alias.TargetKeyId, "kms:DeleteAlias", allowAlias: false, cancellationToken);
        if (!await store.DeleteAliasAsync(scope, alias.AliasName, cancellationToken))
        {
            throw AwsErrors.KmsAliasNotFound(alias.Arn);
        }
    }

    /// <summary>An alias a caller may change: alias/ prefixed, not AWS managed, authorized on its ARN, existing.</summary>
    private async Task<(KeyScope Scope, AliasRecord Alias)> ExistingAliasAsync(RequestContext context, string aliasName, string action, CancellationToken cancellationToken)
    {
        if (!aliasName.StartsWith("alias/", StringComparison.Ordinal))
        {
            throw AwsErrors.KmsAliasPrefixRequired();
        }

        var scope = ScopeOf(context);
        var aliasArn = KeyArns.Alias(scope, aliasName);
        if (aliasName.StartsWith(AwsManagedKeys.ReservedPrefix, StringComparison.Ordinal))
        {
            throw AwsErrors.KmsAwsAlias(context.Principal.Arn, action, aliasArn);
        }

        await authorizer.AuthorizeAsync(context, action, aliasArn, cancellationToken);
        var alias = await store.FindAliasAsync(scope, aliasName, cancellationToken) ?? throw AwsErrors.KmsAliasNotFound(aliasArn);
        return (scope, alias);
    }

    /// <summary>Aliases in name order after <paramref name="afterAliasName"/>, of one key when <paramref name="keyId"/> is given.</summary>
    public async Task<KeyListPage<AliasRecord>> ListAliasesAsync(RequestContext context, string? keyId, int limit, string? afterAliasName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "kms:ListAliases", "*", cancellationToken);

        var scope = ScopeOf(context);
        // AWS lists the AWS managed aliases in every account; Cairn makes alias/aws/ssm's key exist before listing.
        await keys.EnsureAwsManagedKeyAsync(scope, AwsManagedKeys.SsmAlias, cancellationToken);
        await store.DeleteKeysDueAsync(scope, time.GetUtcNow(), cancellationToken);
        string? targetKeyId = null;
        if (keyId is not null)
        {
            targetKeyId = (await keys.ResolveAsync(scope, keyId, allowAlias: false, cancellationToken)).KeyId;
        }

        var found = await store.ListAliasesAsync(scope, targetKeyId, afterAliasName, limit + 1, cancellationToken);
        return Page(found, limit, alias => alias.AliasName);
    }

    /// <summary>UpdateAlias keeps an alias on one type of key: symmetric encryption, asymmetric, or HMAC.</summary>
    private static int KeyFamily(string keySpec) => KeySpecs.IsAsymmetric(keySpec) ? 1 : KeySpecs.IsHmac(keySpec) ? 2 : 0;
}
