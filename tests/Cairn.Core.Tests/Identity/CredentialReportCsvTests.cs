using Cairn.Core.Identity.Iam;

namespace Cairn.Core.Tests.Identity;

public sealed class CredentialReportCsvTests
{
    private const string Account = "123456789012";
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static IamUser User(string name) => new(Account, name, "AIDA" + name, "/", $"arn:aws:iam::{Account}:user/{name}", Created);

    private static string[] Rows(string csv) => csv.Split('\n');

    [Fact]
    public void The_header_is_AWSs_columns_in_AWSs_order_and_the_root_row_comes_first()
    {
        var rows = Rows(CredentialReportCsv.Build(new(Account, true), [], null));

        Assert.Equal(
            "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,"
            + "access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
            + "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,"
            + "cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated", rows[0]);
        Assert.Equal(
            $"<root_account>,arn:aws:iam::{Account}:root,N/A,not_supported,N/A,not_supported,not_supported,false,true,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
            rows[1]);
        Assert.Equal(2, rows.Length);
    }

    [Fact]
    public void A_user_without_credentials_has_N_A_everywhere_a_credential_would_be()
    {
        var rows = Rows(CredentialReportCsv.Build(new(Account, true), [new(User("bob"), null, [], null)], null));

        Assert.Equal($"bob,arn:aws:iam::{Account}:user/bob,2026-01-02T03:04:05+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A", rows[2]);
    }

    [Fact]
    public void A_users_password_and_two_keys_fill_their_columns_oldest_key_first()
    {
        var profile = new LoginProfile(Account, "ann", "hash", false, Created, Created.AddDays(1));
        var newer = new AccessKeyInfo("AKIANEWER", "s", Account, "ann", "Inactive", Created.AddDays(3));
        var older = new AccessKeyInfo("AKIAOLDER", "s", Account, "ann", "Active", Created.AddDays(2), Created.AddDays(4), "ssm", "eu-west-1");
        var policy = new PasswordPolicy(8, false, false, false, false, true, 90, null, false);

        var neverSignedIn = Rows(CredentialReportCsv.Build(new(Account, true), [new(User("ann"), profile, [newer, older], null)], policy))[2].Split(',');
        var signedIn = Rows(CredentialReportCsv.Build(new(Account, true), [new(User("ann"), profile, [], Created.AddDays(5))], null))[2].Split(',');

        Assert.Equal(["true", "no_information", "2026-01-03T03:04:05+00:00", "2026-04-03T03:04:05+00:00", "false"], neverSignedIn[3..8]);
        Assert.Equal(["true", "2026-01-04T03:04:05+00:00", "2026-01-06T03:04:05+00:00", "eu-west-1", "ssm"], neverSignedIn[8..13]);
        Assert.Equal(["false", "2026-01-05T03:04:05+00:00", "N/A", "N/A", "N/A"], neverSignedIn[13..18]);
        Assert.Equal(["2026-01-07T03:04:05+00:00", "2026-01-03T03:04:05+00:00", "N/A"], signedIn[4..7]);
    }

    [Fact]
    public void Users_come_by_name_and_a_name_with_a_comma_is_quoted()
    {
        var rows = Rows(CredentialReportCsv.Build(new(Account, false), [new(User("zed"), null, [], null), new(User("a,b"), null, [], null)], null));

        Assert.StartsWith($"\"a,b\",\"arn:aws:iam::{Account}:user/a,b\",", rows[2], StringComparison.Ordinal);
        Assert.StartsWith("zed,", rows[3], StringComparison.Ordinal);
        Assert.Contains(",false,false,N/A,N/A,N/A,N/A,false,", rows[1], StringComparison.Ordinal);
    }
}
