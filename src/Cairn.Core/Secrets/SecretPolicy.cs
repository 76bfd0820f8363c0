using Cairn.Core.Errors;
using Cairn.Core.Identity.Policies;
using Cairn.Core.Keys;

namespace Cairn.Core.Secrets;

/// <summary>
/// A secret's resource policy: parsed with IAM's grammar (errors become MalformedPolicyDocumentException) and evaluated
/// as a resource-based policy for one caller, as KMS key policies are (<see cref="KeyPolicy.Evaluate"/>).
/// </summary>
public static class SecretPolicy
{
    public static PolicyDocument Parse(string policy)
    {
        try
        {
            return PolicyParser.Parse(policy, PolicyKind.Resource);
        }
        catch (AwsException error) when (error.Code == "MalformedPolicyDocument")
        {
            throw AwsErrors.SecretMalformedPolicy(error.Message);
        }
    }

    /// <summary>Whether an Allow statement grants everyone (Principal "*"): what BlockPublicPolicy refuses.</summary>
    public static bool IsPublic(PolicyDocument policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Statements.Any(s => s.Effect == PolicyEffect.Allow && s.Principals is { } p && (p.IsEveryone || p.Get("AWS").Contains("*")));
    }
}
