using System.Text;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Iam;

/// <summary>
/// The credential report through the real aws CLI and boto3: ReportNotPresent before one is generated, STARTED then
/// COMPLETE (reused for 4 hours), and the CSV with AWS's columns, the root row and the users' credentials. One test: the
/// report is the account's, so the order of the calls is the test.
/// </summary>
public sealed class CredentialReportCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    [Fact]
    public async Task The_CLI_and_boto3_read_the_accounts_credential_report_once_it_is_generated()
    {
        var missing = (await cairn.Aws("iam", "get-credential-report")).Fails("ReportNotPresent");
        var ann = await cairn.UserWithPolicyAsync("report-ann",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:DescribeParameters","Resource":"*"}]}""");
        (await cairn.AwsAs(ann, "ssm", "describe-parameters", "--region", "eu-west-1")).Ok();
        (await cairn.Aws("iam", "create-login-profile", "--user-name", "report-ann", "--password", "Report-Password-1!")).Ok();
        (await cairn.Aws("iam", "create-user", "--user-name", "report-bob")).Ok();

        var started = (await cairn.Aws("iam", "generate-credential-report")).Ok();
        var complete = (await cairn.Aws("iam", "generate-credential-report")).Ok();
        var report = (await cairn.Aws("iam", "get-credential-report")).Ok();
        var rows = Encoding.UTF8.GetString(Convert.FromBase64String(report["Content"]!.GetValue<string>())).Split('\n');
        var annRow = rows.Single(r => r.StartsWith("report-ann,", StringComparison.Ordinal)).Split(',');
        var bobRow = rows.Single(r => r.StartsWith("report-bob,", StringComparison.Ordinal)).Split(',');

        Assert.Contains("generate-credential-report", missing, StringComparison.Ordinal);
        Assert.Equal("STARTED", started["State"]!.GetValue<string>());
        Assert.Equal("COMPLETE", complete["State"]!.GetValue<string>());
        Assert.Equal("text/csv", report["ReportFormat"]!.GetValue<string>());
        Assert.NotNull(report["GeneratedTime"]);
        Assert.StartsWith("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,", rows[0], StringComparison.Ordinal);
        Assert.StartsWith("<root_account>,arn:aws:iam::000000000000:root,N/A,not_supported,", rows[1], StringComparison.Ordinal);
        Assert.Equal(["arn:aws:iam::000000000000:user/report-ann", "true", "no_information"], annRow[1..5].Where((_, i) => i != 1));
        Assert.Equal(["true", "eu-west-1", "ssm"], [annRow[8], annRow[11], annRow[12]]);
        Assert.Equal(["false", "N/A", "N/A", "false"], [bobRow[3], bobRow[4], bobRow[5], bobRow[8]]);

        var boto = await cairn.Boto3("""
            import csv, io
            assert iam.generate_credential_report()["State"] == "COMPLETE"
            r = iam.get_credential_report()
            rows = list(csv.DictReader(io.StringIO(r["Content"].decode())))
            assert r["ReportFormat"] == "text/csv", r
            print(rows[0]["user"], rows[0]["password_enabled"])
            print(sorted(row["user"] for row in rows[1:]))
            """);

        Assert.True(boto.ExitCode == 0, boto.Stderr);
        Assert.Equal(["<root_account> not_supported", "['report-ann', 'report-bob']"], boto.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
