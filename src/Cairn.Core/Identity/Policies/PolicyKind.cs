namespace Cairn.Core.Identity.Policies;

/// <summary>Where a policy document is used: IAM checks each kind by slightly different rules.</summary>
public enum PolicyKind
{
    /// <summary>Inline policy of a user, group or role (PutRolePolicy): Version may be omitted.</summary>
    Inline,

    /// <summary>Customer managed policy (CreatePolicy, CreatePolicyVersion): Version 2012-10-17 required.</summary>
    Managed,

    /// <summary>A role's trust policy (AssumeRolePolicyDocument): Principal required, Resource prohibited.</summary>
    Trust,

    /// <summary>A resource-based policy such as a KMS key policy: Principal required, Resource required.</summary>
    Resource,
}
