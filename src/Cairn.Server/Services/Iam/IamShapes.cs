using System.Text.RegularExpressions;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Iam;

/// <summary>
/// IAM's input shapes, transcribed from the service model (aws-models/iam), for the operations that
/// <see cref="QueryValidator"/> checks before they run (users, access keys, managed policies). Members are in the
/// model's order, which is the order the first failure is reported in. Operations not listed here still go through
/// <see cref="IamValidation"/>'s member-by-name checks.
/// </summary>
internal static partial class IamShapes
{
    // AWS's \w is ASCII; .NET's matches every Unicode letter and digit, hence the explicit classes in the matchers.
    private static readonly StringShape UserName = new(1, 64, IamValidation.NamePattern, Matcher: NameRegex());
    private static readonly StringShape ExistingUserName = new(1, 128, IamValidation.NamePattern, Matcher: NameRegex());
    private static readonly StringShape RoleName = new(1, 64, IamValidation.NamePattern, Matcher: NameRegex());
    private static readonly StringShape PolicyName = new(1, 128, IamValidation.NamePattern, Matcher: NameRegex());
    private static readonly StringShape Path = new(1, 512, IamValidation.PathPattern, Matcher: PathRegex());
    private static readonly StringShape PathPrefix = new(1, 512, IamValidation.PathPrefixPattern, Matcher: PathPrefixRegex());
    private static readonly StringShape PolicyPath = new(1, 512, @"((/[A-Za-z0-9\.,\+@=_-]+)*)/");
    private static readonly StringShape Arn = new(20, 2048);
    private static readonly StringShape Marker = new(1, 320, @"[\u0020-\u00FF]+");
    private static readonly NumberShape MaxItems = new(1, 1000);
    private static readonly StringShape AccessKeyId = new(16, 128, @"[\w]+", Matcher: AccessKeyIdRegex());
    private static readonly StringShape PolicyDocument = new(1, 131072, IamValidation.PolicyDocumentPattern, Matcher: PolicyDocumentRegex());
    private static readonly StringShape PolicyVersionId = new(Pattern: @"v[1-9][0-9]*(\.[A-Za-z0-9-]*)?");
    private static readonly StringShape TagKey = new(1, 128, IamValidation.TagKeyPattern, Matcher: TagKeyRegex());
    private static readonly StringShape TagValue = new(0, 256, IamValidation.TagValuePattern, Matcher: TagValueRegex());
    private static readonly ListShape Tags = new(new StructureShape(new MemberShape("Key", TagKey, true), new MemberShape("Value", TagValue, true)), Max: 50);
    private static readonly ListShape TagKeys = new(TagKey, Max: 50);
    private static readonly BooleanShape Boolean = new();
    private static readonly StringShape Password = new(1, 128, @"[\u0009\u000A\u000D\u0020-\u00FF]+", Sensitive: true, Matcher: PasswordRegex());
    private static readonly StringShape ProfileName = new(1, 128, IamValidation.NamePattern, Matcher: NameRegex());
    private static readonly StringShape OidcUrl = new(1, 255);
    private static readonly StringShape ClientId = new(1, 255);
    private static readonly StringShape Thumbprint = new(40, 40);
    private static readonly StringShape AccountAlias = new(3, 63, @"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$", Matcher: AccountAliasRegex());

    /// <summary>The operations checked against the model, by action.</summary>
    public static readonly IReadOnlyDictionary<string, StructureShape> ByAction = new Dictionary<string, StructureShape>(StringComparer.Ordinal)
    {
        ["CreateUser"] = new(new MemberShape("Path", Path), new MemberShape("UserName", UserName, true), new MemberShape("PermissionsBoundary", Arn), new MemberShape("Tags", Tags)),
        ["GetUser"] = new(new MemberShape("UserName", ExistingUserName)),
        ["PutUserPermissionsBoundary"] = new(new MemberShape("UserName", ExistingUserName, true), new MemberShape("PermissionsBoundary", Arn, true)),
        ["DeleteUserPermissionsBoundary"] = new(new MemberShape("UserName", ExistingUserName, true)),
        ["PutRolePermissionsBoundary"] = new(new MemberShape("RoleName", RoleName, true), new MemberShape("PermissionsBoundary", Arn, true)),
        ["DeleteRolePermissionsBoundary"] = new(new MemberShape("RoleName", RoleName, true)),
        ["ListUsers"] = new(new MemberShape("PathPrefix", PathPrefix), new MemberShape("Marker", Marker), new MemberShape("MaxItems", MaxItems)),
        ["DeleteUser"] = new(new MemberShape("UserName", ExistingUserName, true)),
        ["UpdateUser"] = new(new MemberShape("UserName", ExistingUserName, true), new MemberShape("NewPath", Path), new MemberShape("NewUserName", UserName)),
        ["TagUser"] = new(new MemberShape("UserName", ExistingUserName, true), new MemberShape("Tags", Tags, true)),
        ["UntagUser"] = new(new MemberShape("UserName", ExistingUserName, true), new MemberShape("TagKeys", TagKeys, true)),
        ["ListUserTags"] = new(new MemberShape("UserName", ExistingUserName, true), new MemberShape("Marker", Marker), new MemberShape("MaxItems", MaxItems)),
        ["CreateAccessKey"] = new(new MemberShape("UserName", ExistingUserName)),
        ["ListAccessKeys"] = new(new MemberShape("UserName", ExistingUserName), new MemberShape("Marker", Marker), new MemberShape("MaxItems", MaxItems)),
        ["UpdateAccessKey"] = new(
            new MemberShape("UserName", ExistingUserName), new MemberShape("AccessKeyId", AccessKeyId, true),
            new MemberShape("Status", new StringShape(Enum: ["Active", "Inactive", "Expired"]), true)),
        ["DeleteAccessKey"] = new(new MemberShape("UserName", ExistingUserName), new MemberShape("AccessKeyId", AccessKeyId, true)),
        ["GetAccessKeyLastUsed"] = new(new MemberShape("AccessKeyId", AccessKeyId, true)),
        ["CreatePolicy"] = new(
            new MemberShape("PolicyName", PolicyName, true), new MemberShape("Path", PolicyPath), new MemberShape("PolicyDocument", PolicyDocument, true),
            new MemberShape("Description", new StringShape(Max: 1000, Pattern: IamValidation.DescriptionPattern, Matcher: DescriptionRegex())), new MemberShape("Tags", Tags)),
        ["GetPolicy"] = PolicyArnOnly(),
        ["ListPolicies"] = new(
            new MemberShape("Scope", new StringShape(Enum: ["All", "AWS", "Local"])), new MemberShape("OnlyAttached", Boolean), new MemberShape("PathPrefix", PolicyPath),
            new MemberShape("PolicyUsageFilter", new StringShape(Enum: ["PermissionsPolicy", "PermissionsBoundary"])), new MemberShape("Marker", Marker), new MemberShape("MaxItems", MaxItems)),
        ["DeletePolicy"] = PolicyArnOnly(),
        ["CreatePolicyVersion"] = new(new MemberShape("PolicyArn", Arn, true), new MemberShape("PolicyDocument", PolicyDocument, true), new MemberShape("SetAsDefault", Boolean)),
        ["GetPolicyVersion"] = PolicyVersion(),
        ["ListPolicyVersions"] = new(new MemberShape("PolicyArn", Arn, true), new MemberShape("Marker", Marker), new MemberShape("MaxItems", MaxItems)),
        ["DeletePolicyVersion"] = PolicyVersion(),
        ["SetDefaultPolicyVersion"] = PolicyVersion(),
        ["TagPolicy"] = new(new MemberShape("PolicyArn", Arn, true), new MemberShape("Tags", Tags, true)),
        ["UntagPolicy"] = new(new MemberShape("PolicyArn", Arn, true), new MemberShape("TagKeys", TagKeys, true)),
        ["ListPolicyTags"] = new(new MemberShape("PolicyArn", Arn, true), new MemberShape("Marker", Marker), new MemberShape("MaxItems", MaxItems)),
        ["CreateLoginProfile"] = new(new MemberShape("UserName", UserName), new MemberShape("Password", Password, true), new MemberShape("PasswordResetRequired", Boolean)),
        ["GetLoginProfile"] = new(new MemberShape("UserName", UserName)),
        ["UpdateLoginProfile"] = new(new MemberShape("UserName", UserName, true), new MemberShape("Password", Password), new MemberShape("PasswordResetRequired", Boolean)),
        ["DeleteLoginProfile"] = new(new MemberShape("UserName", UserName)),
        ["ChangePassword"] = new(new MemberShape("OldPassword", Password, true), new MemberShape("NewPassword", Password, true)),
        ["UpdateAccountPasswordPolicy"] = new(
            new MemberShape("MinimumPasswordLength", new NumberShape(6, 128)), new MemberShape("RequireSymbols", Boolean), new MemberShape("RequireNumbers", Boolean),
            new MemberShape("RequireUppercaseCharacters", Boolean), new MemberShape("RequireLowercaseCharacters", Boolean),
            new MemberShape("AllowUsersToChangePassword", Boolean), new MemberShape("MaxPasswordAge", new NumberShape(1, 1095)),
            new MemberShape("PasswordReusePrevention", new NumberShape(1, 24)), new MemberShape("HardExpiry", Boolean)),
        ["GetAccountPasswordPolicy"] = new(),
        ["DeleteAccountPasswordPolicy"] = new(),
        ["CreateAccountAlias"] = new(new MemberShape("AccountAlias", AccountAlias, true)),
        ["ListAccountAliases"] = new(new MemberShape("Marker", Marker), new MemberShape("MaxItems", MaxItems)),
        ["DeleteAccountAlias"] = new(new MemberShape("AccountAlias", AccountAlias, true)),
        ["CreateOpenIDConnectProvider"] = new(
            new MemberShape("Url", OidcUrl, true), new MemberShape("ClientIDList", new ListShape(ClientId)), new MemberShape("ThumbprintList", new ListShape(Thumbprint)),
            new MemberShape("Tags", Tags)),
        ["GetOpenIDConnectProvider"] = OidcArnOnly(),
        ["ListOpenIDConnectProviders"] = new(),
        ["DeleteOpenIDConnectProvider"] = OidcArnOnly(),
        ["UpdateOpenIDConnectProviderThumbprint"] = new(
            new MemberShape("OpenIDConnectProviderArn", Arn, true), new MemberShape("ThumbprintList", new ListShape(Thumbprint), true)),
        ["AddClientIDToOpenIDConnectProvider"] = new(new MemberShape("OpenIDConnectProviderArn", Arn, true), new MemberShape("ClientID", ClientId, true)),
        ["RemoveClientIDFromOpenIDConnectProvider"] = new(new MemberShape("OpenIDConnectProviderArn", Arn, true), new MemberShape("ClientID", ClientId, true)),
        ["TagOpenIDConnectProvider"] = new(new MemberShape("OpenIDConnectProviderArn", Arn, true), new MemberShape("Tags", Tags, true)),
        ["UntagOpenIDConnectProvider"] = new(new MemberShape("OpenIDConnectProviderArn", Arn, true), new MemberShape("TagKeys", TagKeys, true)),
        ["CreateInstanceProfile"] = new(new MemberShape("InstanceProfileName", ProfileName, true), new MemberShape("Path", Path), new MemberShape("Tags", Tags)),
        ["GetInstanceProfile"] = ProfileOnly(),
        ["DeleteInstanceProfile"] = ProfileOnly(),
        ["ListInstanceProfiles"] = new(new MemberShape("PathPrefix", PathPrefix), new MemberShape("Marker", Marker), new MemberShape("MaxItems", MaxItems)),
        ["ListInstanceProfilesForRole"] = new(new MemberShape("RoleName", RoleName, true), new MemberShape("Marker", Marker), new MemberShape("MaxItems", MaxItems)),
        ["AddRoleToInstanceProfile"] = new(new MemberShape("InstanceProfileName", ProfileName, true), new MemberShape("RoleName", RoleName, true)),
        ["RemoveRoleFromInstanceProfile"] = new(new MemberShape("InstanceProfileName", ProfileName, true), new MemberShape("RoleName", RoleName, true)),
        ["TagInstanceProfile"] = new(new MemberShape("InstanceProfileName", ProfileName, true), new MemberShape("Tags", Tags, true)),
        ["UntagInstanceProfile"] = new(new MemberShape("InstanceProfileName", ProfileName, true), new MemberShape("TagKeys", TagKeys, true)),
        ["ListInstanceProfileTags"] = new(new MemberShape("InstanceProfileName", ProfileName, true), new MemberShape("Marker", Marker), new MemberShape("MaxItems", MaxItems)),
        ["CreateServiceLinkedRole"] = new(
            new MemberShape("AWSServiceName", new StringShape(1, 128, IamValidation.NamePattern, Matcher: NameRegex()), true),
            new MemberShape("Description", new StringShape(Max: 1000, Pattern: IamValidation.DescriptionPattern, Matcher: DescriptionRegex())),
            new MemberShape("CustomSuffix", new StringShape(1, 64, IamValidation.NamePattern, Matcher: NameRegex()))),
        ["DeleteServiceLinkedRole"] = new(new MemberShape("RoleName", RoleName, true)),
        ["GetServiceLinkedRoleDeletionStatus"] = new(new MemberShape("DeletionTaskId", new StringShape(1, 1000), true)),
        ["ListOpenIDConnectProviderTags"] = new(
            new MemberShape("OpenIDConnectProviderArn", Arn, true), new MemberShape("Marker", Marker), new MemberShape("MaxItems", MaxItems)),
    };

    private static StructureShape ProfileOnly() => new(new MemberShape("InstanceProfileName", ProfileName, true));

    private static StructureShape OidcArnOnly() => new(new MemberShape("OpenIDConnectProviderArn", Arn, true));

    private static StructureShape PolicyArnOnly() => new(new MemberShape("PolicyArn", Arn, true));

    private static StructureShape PolicyVersion() => new(new MemberShape("PolicyArn", Arn, true), new MemberShape("VersionId", PolicyVersionId, true));

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]+$")]
    internal static partial Regex NameRegex();

    [GeneratedRegex(@"^[A-Za-z0-9_]+$")]
    private static partial Regex AccessKeyIdRegex();

    [GeneratedRegex(@"^[\u0009\u000A\u000D\u0020-\u00FF]+$")]
    private static partial Regex PasswordRegex();

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$")]
    private static partial Regex AccountAliasRegex();

    [GeneratedRegex(@"^[\u0021-\u007F]+$")]
    internal static partial Regex PathCharactersRegex();

    [GeneratedRegex(@"^/[\u0021-\u007F]*$")]
    private static partial Regex PathPrefixRegex();

    [GeneratedRegex(@"^((/)|(/[\u0021-\u007E]+/))$")]
    internal static partial Regex PathRegex();

    [GeneratedRegex(@"^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$")]
    internal static partial Regex DescriptionRegex();

    [GeneratedRegex(@"^[\u0009\u000A\u000D\u0020-\u00FF]+$")]
    internal static partial Regex PolicyDocumentRegex();

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$")]
    internal static partial Regex TagKeyRegex();

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$")]
    internal static partial Regex TagValueRegex();
}
