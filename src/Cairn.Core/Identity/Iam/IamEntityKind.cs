namespace Cairn.Core.Identity.Iam;

/// <summary>The IAM identities that policies attach to (and, for tags, managed policies, OpenID Connect providers and instance profiles too).</summary>
public enum IamEntityKind
{
    User,
    Role,
    Group,
    Policy,
    OpenIdConnectProvider,
    InstanceProfile,
}
