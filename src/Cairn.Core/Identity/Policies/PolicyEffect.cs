namespace Cairn.Core.Identity.Policies;

public enum PolicyEffect
{
    Allow,
    Deny,
}
