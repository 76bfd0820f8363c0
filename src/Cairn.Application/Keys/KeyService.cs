using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Policies;
using Cairn.Core.Keys;
using Cairn.Storage.Keys;

namespace Cairn.Application.Keys;

/// <summary>
/// KMS as an application service: keys, aliases and symmetric cryptography for a caller (a <see cref="RequestContext"/>),
/// authorized as KMS authorizes them (kms:&lt;Action&gt; on the key's ARN, AWS managed keys refused as their key policy
/// refuses them). Keys are regional: the scope is the caller's account and region. KMS's API is a thin adapter over it.
/// Operations live in partial files by family: keys, aliases, cryptography.
/// </summary>
public sealed partial class KeyService(KeyRing keys, IKeyStore store, IAuthorizer authorizer, TimeProvider time)
{
    /// <summary>The one encryption algorithm and key spec Cairn's keys have.</summary>
    public const string SymmetricDefault = KeyRecord.SymmetricDefault;

    private readonly KeyAuthorization _keyAuthorization = new(authorizer);

    private static KeyScope ScopeOf(RequestContext context) => new(context.AccountId, context.Region);

    /// <summary>Resolves a key id, alias or ARN and checks kms:&lt;action&gt; on the key's ARN.</summary>
    private async Task<KeyRecord> AuthorizedKeyAsync(RequestContext context, string keyId, string action, bool allowAlias, CancellationToken cancellationToken)
    {
        var key = await keys.ResolveAsync(ScopeOf(context), keyId, allowAlias, cancellationToken);
        await AuthorizeOnKeyAsync(context, key, action, cancellationToken);
        return key;
    }

    /// <summary>KMS's authorization of an action on a key: the key policy, then IAM (<see cref="KeyAuthorization"/>).</summary>
    private Task AuthorizeOnKeyAsync(RequestContext context, KeyRecord key, string action, CancellationToken cancellationToken) =>
        _keyAuthorization.AuthorizeAsync(context, key.ToReference(), action, serviceConditions: null, cancellationToken);

    /// <summary>
    /// An AWS managed key's policy allows its use only through its service (kms:ViaService) and no management at all,
    /// so direct KMS calls that use or change it are denied, as in AWS.
    /// </summary>
    private static void DenyAwsManaged(RequestContext context, KeyRecord key, string action)
    {
        if (key.IsAwsManaged)
        {
            throw AwsErrors.KmsNoResourcePolicy(context.Principal.Arn, action, key.Arn);
        }
    }

    /// <summary>Changes a key inside one store transaction; <paramref name="change"/> sees the stored key and may refuse by throwing.</summary>
    private async Task<KeyRecord> UpdateAsync(KeyRecord key, Func<KeyRecord, KeyRecord> change, CancellationToken cancellationToken) =>
        await store.UpdateKeyAsync(key.Scope, key.KeyId, change, time.GetUtcNow(), cancellationToken) ?? throw AwsErrors.KmsKeyNotFound(key.Arn);

    /// <summary>Management a key pending deletion refuses (KMSInvalidStateException), as AWS's key state table says.</summary>
    private static KeyRecord NotPendingDeletion(KeyRecord key) => key.IsPendingDeletion ? throw AwsErrors.KmsPendingDeletion(key.Arn) : key;

    /// <summary>A key id or key ARN (not an alias) of a customer managed key, authorized, for the operations that change a key.</summary>
    private async Task<KeyRecord> ManagedKeyAsync(RequestContext context, string keyId, string action, CancellationToken cancellationToken)
    {
        var key = await AuthorizedKeyAsync(context, keyId, action, allowAlias: false, cancellationToken);
        DenyAwsManaged(context, key, action);
        return key;
    }

    /// <summary>Asks the store for one more than the limit, so the page knows whether more follow.</summary>
    private static KeyListPage<T> Page<T>(IReadOnlyList<T> found, int limit, Func<T, string> name)
    {
        var page = found.Take(limit).ToList();
        return new KeyListPage<T>(page, found.Count > limit ? name(page[^1]) : null);
    }
}
