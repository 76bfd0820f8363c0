namespace Cairn.Core.Identity.Iam;

/// <summary>The IAM identities that policies attach to (and, for tags, managed policies and OpenID Connect providers too).</summary>
public enum IamEntityKind
{
    User,
    Role,
    Group,
    Policy,
    OpenIdConnectProvider,
}
