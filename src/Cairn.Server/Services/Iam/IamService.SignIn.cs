using System.Xml.Linq;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>
/// Console sign-in identities: login profiles and ChangePassword (adapters over <see cref="Application.Identity.LoginProfileService"/>),
/// the account password policy and account aliases (over <see cref="Application.Identity.AccountSettingsService"/>).
/// Passwords are checked against <see cref="IamShapes"/> without ever being echoed in an error.
/// </summary>
internal sealed partial class IamService
{
    private void RegisterSignIn()
    {
        On("CreateLoginProfile", CreateLoginProfileAsync);
        On("GetLoginProfile", GetLoginProfileAsync);
        On("UpdateLoginProfile", UpdateLoginProfileAsync);
        On("DeleteLoginProfile", DeleteLoginProfileAsync);
        On("ChangePassword", ChangePasswordAsync);
        On("UpdateAccountPasswordPolicy", UpdateAccountPasswordPolicyAsync);
        On("GetAccountPasswordPolicy", GetAccountPasswordPolicyAsync);
        On("DeleteAccountPasswordPolicy", DeleteAccountPasswordPolicyAsync);
        On("CreateAccountAlias", CreateAccountAliasAsync);
        On("ListAccountAliases", ListAccountAliasesAsync);
        On("DeleteAccountAlias", DeleteAccountAliasAsync);
        On("GetAccountSummary", GetAccountSummaryAsync);
    }

    private async Task<XElement?> CreateLoginProfileAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var profile = await _loginProfiles.CreateLoginProfileAsync(
            context, args.Get("UserName"), args.Required("Password"), args.Bool("PasswordResetRequired") ?? false, cancellationToken);
        return Result("CreateLoginProfile", LoginProfile(profile));
    }

    private async Task<XElement?> GetLoginProfileAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken) =>
        Result("GetLoginProfile", LoginProfile(await _loginProfiles.GetLoginProfileAsync(context, args.Get("UserName"), cancellationToken)));

    private async Task<XElement?> UpdateLoginProfileAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _loginProfiles.UpdateLoginProfileAsync(context, args.Required("UserName"), args.Get("Password"), args.Bool("PasswordResetRequired"), cancellationToken);
        return null;
    }

    private async Task<XElement?> DeleteLoginProfileAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _loginProfiles.DeleteLoginProfileAsync(context, args.Get("UserName"), cancellationToken);
        return null;
    }

    private async Task<XElement?> ChangePasswordAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _loginProfiles.ChangePasswordAsync(context, args.Required("OldPassword"), args.Required("NewPassword"), cancellationToken);
        return null;
    }

    private async Task<XElement?> UpdateAccountPasswordPolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        // Members left out take IAM's defaults, as UpdateAccountPasswordPolicy documents: it replaces the whole policy.
        var policy = new PasswordPolicy(
            args.Int("MinimumPasswordLength") ?? 6, args.Bool("RequireSymbols") ?? false, args.Bool("RequireNumbers") ?? false,
            args.Bool("RequireUppercaseCharacters") ?? false, args.Bool("RequireLowercaseCharacters") ?? false,
            args.Bool("AllowUsersToChangePassword") ?? false, args.Int("MaxPasswordAge"), args.Int("PasswordReusePrevention"), args.Bool("HardExpiry") ?? false);
        await _accountSettings.UpdatePasswordPolicyAsync(context, policy, cancellationToken);
        return null;
    }

    private async Task<XElement?> GetAccountSummaryAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var summary = await _accountSettings.GetAccountSummaryAsync(context, cancellationToken);
        return Result("GetAccountSummary", new XElement("SummaryMap", summary.Select(e => new XElement("entry", E("key", e.Key), E("value", e.Value)))));
    }

    private async Task<XElement?> GetAccountPasswordPolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var policy = await _accountSettings.GetPasswordPolicyAsync(context, cancellationToken);
        return Result("GetAccountPasswordPolicy", new XElement("PasswordPolicy",
            E("MinimumPasswordLength", policy.MinimumPasswordLength), E("RequireSymbols", policy.RequireSymbols), E("RequireNumbers", policy.RequireNumbers),
            E("RequireUppercaseCharacters", policy.RequireUppercaseCharacters), E("RequireLowercaseCharacters", policy.RequireLowercaseCharacters),
            E("AllowUsersToChangePassword", policy.AllowUsersToChangePassword), E("ExpirePasswords", policy.ExpirePasswords),
            E("MaxPasswordAge", policy.MaxPasswordAge), E("PasswordReusePrevention", policy.PasswordReusePrevention), E("HardExpiry", policy.HardExpiry)));
    }

    private async Task<XElement?> DeleteAccountPasswordPolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _accountSettings.DeletePasswordPolicyAsync(context, cancellationToken);
        return null;
    }

    private async Task<XElement?> CreateAccountAliasAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _accountSettings.CreateAccountAliasAsync(context, args.Required("AccountAlias"), cancellationToken);
        return null;
    }

    private async Task<XElement?> ListAccountAliasesAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var (aliases, paging) = Page(await _accountSettings.ListAccountAliasesAsync(context, cancellationToken), args);
        return Result("ListAccountAliases", Members("AccountAliases", aliases), paging);
    }

    private async Task<XElement?> DeleteAccountAliasAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _accountSettings.DeleteAccountAliasAsync(context, args.Required("AccountAlias"), cancellationToken);
        return null;
    }

    private static XElement LoginProfile(LoginProfile profile) => new("LoginProfile",
        E("UserName", profile.UserName), E("CreateDate", profile.CreateDate), E("PasswordResetRequired", profile.PasswordResetRequired));
}
