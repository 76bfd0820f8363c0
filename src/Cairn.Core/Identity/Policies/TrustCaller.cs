namespace Cairn.Core.Identity.Policies;

/// <summary>Who asks to assume a role, as a trust policy's Principal element can name them.</summary>
/// <param name="AccountId">The caller's account; null for a service.</param>
/// <param name="Arns">Every ARN that names the caller: the user ARN, or the role ARN and the assumed-role session ARN.</param>
/// <param name="Service">A service principal such as <c>codebuild.amazonaws.com</c>; null for IAM principals.</param>
/// <param name="Federated">An identity provider's ARN (AssumeRoleWithWebIdentity: the OIDC provider's); null otherwise.</param>
public sealed record TrustCaller(string? AccountId, IReadOnlyList<string> Arns, string? Service = null, string? Federated = null)
{
    public static TrustCaller ForService(string service) => new(null, [], service);

    public static TrustCaller ForFederated(string providerArn) => new(null, [], Federated: providerArn);
}
