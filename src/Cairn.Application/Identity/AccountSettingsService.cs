using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Storage.Identity;

namespace Cairn.Application.Identity;

/// <summary>
/// The account's password policy and its alias (the name the console's sign-in takes instead of the account id). These
/// actions have no resource type in IAM, so each is authorized as <c>iam:&lt;Action&gt;</c> on <c>*</c>, as on AWS.
/// Input shapes (the alias pattern, the policy's ranges) are the caller's to check.
/// </summary>
public sealed class AccountSettingsService(IIdentityStore store, IAuthorizer authorizer)
{
    public async Task UpdatePasswordPolicyAsync(RequestContext context, PasswordPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        await AuthorizeAsync(context, "UpdateAccountPasswordPolicy", cancellationToken);
        await store.PutPasswordPolicyAsync(context.AccountId, policy, cancellationToken);
    }

    public async Task<PasswordPolicy> GetPasswordPolicyAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "GetAccountPasswordPolicy", cancellationToken);
        return await store.FindPasswordPolicyAsync(context.AccountId, cancellationToken) ?? throw AwsErrors.NoSuchPasswordPolicy(context.AccountId);
    }

    public async Task DeletePasswordPolicyAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "DeleteAccountPasswordPolicy", cancellationToken);
        await store.DeletePasswordPolicyAsync(context.AccountId, cancellationToken);
    }

    /// <summary>Sets the account's one alias (replacing any it had); an alias another account holds is EntityAlreadyExists.</summary>
    public async Task CreateAccountAliasAsync(RequestContext context, string alias, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(alias);
        if (alias.Length == 12 && alias.All(char.IsAsciiDigit))
        {
            throw AwsErrors.AccountAliasLooksLikeAccountId(alias);
        }

        await AuthorizeAsync(context, "CreateAccountAlias", cancellationToken);
        await store.SetAccountAliasAsync(context.AccountId, alias, cancellationToken);
    }

    /// <summary>The account's alias: none or one.</summary>
    public async Task<IReadOnlyList<string>> ListAccountAliasesAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "ListAccountAliases", cancellationToken);
        return await store.FindAccountAliasAsync(context.AccountId, cancellationToken) is { } alias ? [alias] : [];
    }

    public async Task DeleteAccountAliasAsync(RequestContext context, string alias, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "DeleteAccountAlias", cancellationToken);
        await store.DeleteAccountAliasAsync(context.AccountId, alias, cancellationToken);
    }

    private ValueTask AuthorizeAsync(RequestContext context, string action, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, "iam:" + action, "*", cancellationToken);
}
