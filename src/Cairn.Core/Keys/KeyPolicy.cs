using Cairn.Core.Errors;
using Cairn.Core.Identity.Policies;

namespace Cairn.Core.Keys;

/// <summary>What a key policy says about one request, before IAM's identity-based policies are asked.</summary>
public enum KeyPolicyDecision
{
    /// <summary>No statement allows the caller, directly or through its account: denied whatever IAM says.</summary>
    NoAllow,

    /// <summary>A statement naming the account (its root) allows: IAM's policies decide, as AWS's default key policy delegates.</summary>
    DelegatedToIam,

    /// <summary>A statement naming the caller (or everyone) allows: no identity-based Allow is needed, only an IAM deny refuses.</summary>
    Allowed,

    /// <summary>A Deny statement applies: denied whatever IAM says.</summary>
    ExplicitDeny,
}

/// <summary>
/// KMS key policies, the resource-based policy every KMS key has: the default (the account root may do kms:*, which
/// delegates to IAM), parsing with KMS's MalformedPolicyDocumentException, and AWS's evaluation for a caller.
/// Conditions are evaluated against the principal's request keys only (no kms:* context keys).
/// </summary>
public static class KeyPolicy
{
    public const string DefaultName = "default";

    /// <summary>AWS's default key policy: "Enable IAM User Permissions" for the account root.</summary>
    public static string Default(string accountId) =>
        $$"""{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{accountId}}:root"},"Action":"kms:*","Resource":"*"}]}""";

    /// <summary>Parses a key policy; IAM's grammar errors become KMS's MalformedPolicyDocumentException.</summary>
    public static PolicyDocument Parse(string policy)
    {
        try
        {
            return PolicyParser.Parse(policy, PolicyKind.Resource);
        }
        catch (AwsException error) when (error.Code == "MalformedPolicyDocument")
        {
            throw AwsErrors.KmsMalformedPolicy($"The key policy is not valid: {error.Message}");
        }
    }

    /// <summary>The decision of <paramref name="policy"/> for <paramref name="caller"/> asking <paramref name="action"/> on the key.</summary>
    public static KeyPolicyDecision Evaluate(PolicyDocument policy, TrustCaller caller, string action, string keyArn, ConditionContext context)
    {
        var result = KeyPolicyDecision.NoAllow;
        foreach (var statement in policy.Statements)
        {
            if (statement.Principals is null || !statement.MatchesAction(action) || !statement.MatchesResource(keyArn, context) || !statement.ConditionsHold(context))
            {
                continue;
            }

            var match = statement.Principals.IsEveryone || statement.Principals.Get("AWS").Contains("*")
                ? PrincipalMatch.Specific
                : statement.Principals.Match(caller);
            if (statement.IsNotPrincipal)
            {
                match = match == PrincipalMatch.None ? PrincipalMatch.Specific : PrincipalMatch.None;
            }

            if (match == PrincipalMatch.None)
            {
                continue;
            }

            if (statement.Effect == PolicyEffect.Deny)
            {
                return KeyPolicyDecision.ExplicitDeny;
            }

            var decision = match == PrincipalMatch.Specific ? KeyPolicyDecision.Allowed : KeyPolicyDecision.DelegatedToIam;
            if (decision > result)
            {
                result = decision;
            }
        }

        return result;
    }
}
