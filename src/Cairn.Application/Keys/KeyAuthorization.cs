using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Policies;
using Cairn.Core.Keys;

namespace Cairn.Application.Keys;

/// <summary>
/// KMS's authorization of one action on one key, the one routine for the KMS API (<see cref="KeyService"/>) and for
/// services that call KMS on a caller's behalf (the Parameter Store's SecureStrings, Secrets Manager's values): the key policy first (a Deny, or
/// no Allow for the caller or its account, refuses whatever IAM says; an Allow naming the caller needs no identity-based
/// Allow), then IAM's policies. The default policy (null) lets the account root do kms:*, which delegates to IAM.
/// </summary>
public sealed class KeyAuthorization(IAuthorizer authorizer)
{
    /// <summary>
    /// Authorizes <paramref name="action"/> on <paramref name="key"/>. <paramref name="serviceConditions"/> are the
    /// condition keys a calling service adds (kms:ViaService, kms:EncryptionContext:...), seen by the key policy and by
    /// IAM; null for a direct KMS call. An AWS managed key's policy allows the account's principals through its service,
    /// so such a call needs no identity-based Allow; direct use of it is the KMS API's to refuse.
    /// </summary>
    public async Task AuthorizeAsync(RequestContext context, KeyReference key, string action,
        IReadOnlyDictionary<string, string>? serviceConditions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(key);
        var conditions = serviceConditions ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var allowedByKeyPolicy = key.IsAwsManaged && serviceConditions is not null;
        if (key.Policy is { } policy && !key.IsAwsManaged)
        {
            switch (Evaluate(context, KeyPolicy.Parse(policy), action, key.Arn, conditions))
            {
                case KeyPolicyDecision.ExplicitDeny:
                    throw AwsErrors.KmsKeyPolicyDeny(context.Principal.Arn, action, key.Arn);
                case KeyPolicyDecision.NoAllow:
                    throw AwsErrors.KmsNoResourcePolicy(context.Principal.Arn, action, key.Arn);
                case KeyPolicyDecision.Allowed:
                    allowedByKeyPolicy = true;
                    break;
            }
        }

        await authorizer.AuthorizeAsync(context, new AccessRequest(action, key.Arn) { Conditions = conditions, AllowedByResourcePolicy = allowedByKeyPolicy }, cancellationToken);
    }

    /// <summary>A key policy's decision for the request's caller, with the caller's global condition keys and the service's.</summary>
    public static KeyPolicyDecision Evaluate(RequestContext context, PolicyDocument policy, string action, string keyArn,
        IReadOnlyDictionary<string, string>? serviceConditions = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal;
        var principalArn = ConditionKeys.PrincipalArnOf(principal);
        var caller = new TrustCaller(principal.AccountId, [principal.Arn, principalArn]);
        var conditions = ConditionKeys.ForRequest(principal, context.Time, context.SourceIp, context.Region, secureTransport: false, principalArn);
        foreach (var (name, value) in serviceConditions ?? new Dictionary<string, string>())
        {
            conditions.Set(name, value);
        }

        return KeyPolicy.Evaluate(policy, caller, action, keyArn, conditions);
    }
}
