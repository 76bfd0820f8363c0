namespace Cairn.Core.Identity.Iam;

/// <summary>The IAM identities that policies attach to (and, for tags, managed policies too).</summary>
public enum IamEntityKind
{
    User,
    Role,
    Group,
    Policy,
}
