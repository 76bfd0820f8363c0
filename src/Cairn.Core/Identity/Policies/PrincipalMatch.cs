namespace Cairn.Core.Identity.Policies;

/// <summary>
/// How a trust policy names a caller. Naming the account (or <c>*</c>) delegates to the account: the caller's own
/// identity policies must then also allow the action. Naming the caller itself is enough on its own.
/// </summary>
public enum PrincipalMatch
{
    None,
    Account,
    Specific,
}
