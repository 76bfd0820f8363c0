using System.Globalization;
using System.Text;
using Cairn.Core.Audit;

namespace Cairn.Core.Identity.Iam;

/// <summary>
/// The credential report's CSV as IAM lays it out (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html):
/// AWS's columns in AWS's order, the root user's row first as <c>&lt;root_account&gt;</c>, then the users by name. A value
/// Cairn cannot have is AWS's: <c>N/A</c> (no such credential), <c>no_information</c> (a password never used),
/// <c>not_supported</c> (the root user's password columns). Cairn has no MFA devices or signing certificates: false / N/A.
/// </summary>
public static class CredentialReportCsv
{
    public const string Header =
        "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,"
        + "access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
        + "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,"
        + "cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    private const string NotApplicable = "N/A";

    /// <summary>One user's credentials: its login profile (null without a console password), its access keys, its last console sign-in.</summary>
    public sealed record UserCredentials(IamUser User, LoginProfile? LoginProfile, IReadOnlyList<AccessKeyInfo> AccessKeys, DateTimeOffset? PasswordLastUsed);

    /// <summary>The root user's row: Cairn keeps no creation time for an account, nor last use for the root key (N/A both).</summary>
    /// <param name="KeyLastUse">The root access key's last use, when it has one (AWS's access_key_1_last_used_* columns).</param>
    public sealed record RootCredentials(string AccountId, bool AccessKeyActive, AccessKeyLastUse? KeyLastUse = null);

    public static string Build(RootCredentials root, IEnumerable<UserCredentials> users, PasswordPolicy? policy)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(users);
        var csv = new StringBuilder(Header).Append('\n');
        Row(csv, [
            "<root_account>", $"arn:aws:iam::{root.AccountId}:root", NotApplicable, "not_supported", NotApplicable, "not_supported", "not_supported", "false",
            Bool(root.AccessKeyActive), NotApplicable, Time(root.KeyLastUse?.Time), root.KeyLastUse?.Region ?? NotApplicable, root.KeyLastUse?.Service ?? NotApplicable,
            "false", NotApplicable, NotApplicable, NotApplicable, NotApplicable,
            "false", NotApplicable, "false", NotApplicable]);
        foreach (var user in users.OrderBy(u => u.User.UserName, StringComparer.OrdinalIgnoreCase))
        {
            var profile = user.LoginProfile;
            var row = new List<string>
            {
                user.User.UserName, user.User.Arn, Time(user.User.CreateDate), Bool(profile is not null),
                profile is null ? NotApplicable : user.PasswordLastUsed is { } used ? Time(used) : "no_information",
                profile is null ? NotApplicable : Time(profile.PasswordChangedAt),
                profile is not null && policy?.MaxPasswordAge is { } days ? Time(profile.PasswordChangedAt.AddDays(days)) : NotApplicable,
                "false",
            };
            var keys = user.AccessKeys.OrderBy(k => k.CreateDate).ThenBy(k => k.AccessKeyId, StringComparer.Ordinal).ToList();
            for (var i = 0; i < 2; i++)
            {
                var key = i < keys.Count ? keys[i] : null;
                row.Add(Bool(key?.IsActive == true));
                row.Add(key is null ? NotApplicable : Time(key.CreateDate));
                row.Add(Time(key?.LastUsedDate));
                row.Add(key?.LastUsedDate is null ? NotApplicable : key.LastUsedRegion ?? NotApplicable);
                row.Add(key?.LastUsedDate is null ? NotApplicable : key.LastUsedService ?? NotApplicable);
            }

            row.AddRange(["false", NotApplicable, "false", NotApplicable]);
            Row(csv, row);
        }

        return csv.ToString().TrimEnd('\n');
    }

    // IAM names may hold commas (the pattern allows [\w+=,.@-]): such a field is quoted, as RFC 4180 says.
    private static void Row(StringBuilder csv, IEnumerable<string> values) =>
        csv.AppendJoin(',', values.Select(v => v.Contains(',', StringComparison.Ordinal) ? $"\"{v}\"" : v)).Append('\n');

    private static string Bool(bool value) => value ? "true" : "false";

    // ISO 8601 with the offset, as AWS writes it: 2014-10-14T22:07:30+00:00.
    private static string Time(DateTimeOffset? when) =>
        when is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture) : NotApplicable;
}
