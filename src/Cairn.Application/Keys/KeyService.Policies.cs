using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;

namespace Cairn.Application.Keys;

/// <summary>GetKeyPolicy, PutKeyPolicy, ListKeyPolicies: one policy per key, named default.</summary>
public sealed partial class KeyService
{
    /// <summary>The key policy; a key created without one has AWS's default (the account root may do kms:*).</summary>
    public async Task<string> GetKeyPolicyAsync(RequestContext context, string keyId, string? policyName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = await AuthorizedKeyAsync(context, keyId, "kms:GetKeyPolicy", allowAlias: false, cancellationToken);
        CheckPolicyName(policyName);
        return key.Policy ?? KeyPolicy.Default(key.Scope.AccountId);
    }

    /// <summary>
    /// Replaces the key policy. Unless <paramref name="bypassLockoutCheck"/>, the new policy must still let the caller
    /// call PutKeyPolicy (directly or through the account), as KMS's policy lockout safety check requires.
    /// </summary>
    public async Task PutKeyPolicyAsync(RequestContext context, string keyId, string? policyName, string policy, bool bypassLockoutCheck, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = await ManagedKeyAsync(context, keyId, "kms:PutKeyPolicy", cancellationToken);
        CheckPolicyName(policyName);
        CheckKeyPolicy(context, key.Arn, policy, bypassLockoutCheck);
        await UpdateAsync(key, found => found with { Policy = policy }, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListKeyPoliciesAsync(RequestContext context, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizedKeyAsync(context, keyId, "kms:ListKeyPolicies", allowAlias: false, cancellationToken);
        return [KeyPolicy.DefaultName];
    }

    private static void CheckPolicyName(string? policyName)
    {
        if (policyName is not null && policyName != KeyPolicy.DefaultName)
        {
            throw AwsErrors.KmsPolicyName(policyName);
        }
    }

    /// <summary>Parses a key policy and applies the lockout safety check for the caller.</summary>
    private static void CheckKeyPolicy(RequestContext context, string keyArn, string policy, bool bypassLockoutCheck)
    {
        var document = KeyPolicy.Parse(policy);
        if (bypassLockoutCheck)
        {
            return;
        }

        var decision = KeyAuthorization.Evaluate(context, document, "kms:PutKeyPolicy", keyArn);
        if (decision is KeyPolicyDecision.NoAllow or KeyPolicyDecision.ExplicitDeny)
        {
            throw AwsErrors.KmsLockout();
        }
    }
}
