using System.Text;
using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Compat.Tests.Iam;

/// <summary>
/// An access key's last use through the real aws CLI and boto3, on SQLite and on PostgreSQL: GetAccessKeyLastUsed before
/// any use (AWS's N/A shape), after an allowed and after a denied call (both are uses: the key authenticated them), not
/// after a request whose signature failed or one made with temporary credentials, and the credential report's columns
/// for users <c>ci</c> and <c>ci-2</c> (whose names share a prefix: neither's uses count for the other).
/// </summary>
public sealed class AccessKeyLastUsedCliTests
{
    private const string Describe = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:DescribeParameters","sts:GetSessionToken"],"Resource":"*"}]}""";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_keys_last_use_is_its_last_authenticated_request_in_GetAccessKeyLastUsed_and_the_credential_report(string store)
    {
        Assert.True(store != "postgres" || PostgresCluster.MissingReason is null, PostgresCluster.MissingReason);
        await using var database = store == "postgres" ? await PostgresCluster.Shared.CreateDatabaseAsync() : null;
        var cairn = new CairnFixture { Database = database?.ConnectionString };
        try
        {
            await cairn.InitializeAsync();
            await RunAsync(cairn);
        }
        finally
        {
            await cairn.DisposeAsync();
        }
    }

    private static async Task RunAsync(CairnFixture cairn)
    {
        var ci = await cairn.UserWithPolicyAsync("ci", Describe);
        var ci2 = await cairn.UserWithPolicyAsync("ci-2", Describe);
        var ciKey = ci["AWS_ACCESS_KEY_ID"];
        var ci2Key = ci2["AWS_ACCESS_KEY_ID"];

        var never = (await cairn.Aws("iam", "get-access-key-last-used", "--access-key-id", ciKey)).Ok();
        Assert.Equal("ci", never["UserName"]!.GetValue<string>());
        Assert.Equal("""{"ServiceName":"N/A","Region":"N/A"}""", never["AccessKeyLastUsed"]!.ToJsonString());

        (await cairn.AwsAs(ci, "sts", "get-caller-identity", "--region", "eu-west-1")).Ok();
        var allowed = LastUse((await cairn.Aws("iam", "get-access-key-last-used", "--access-key-id", ciKey)).Ok());
        Assert.Equal(("sts", "eu-west-1"), (allowed.Service, allowed.Region));

        // Denied, yet the key authenticated it: a use, as on AWS.
        (await cairn.AwsAs(ci, "ssm", "get-parameter", "--name", "/not/allowed", "--region", "ap-south-1")).Fails("AccessDeniedException");
        var denied = LastUse((await cairn.Aws("iam", "get-access-key-last-used", "--access-key-id", ciKey)).Ok());
        Assert.Equal(("ssm", "ap-south-1"), (denied.Service, denied.Region));
        Assert.True(denied.Date >= allowed.Date, $"{denied.Date} before {allowed.Date}");

        // A wrong secret never authenticated anything: no use.
        var forged = new Dictionary<string, string>(ci) { ["AWS_SECRET_ACCESS_KEY"] = "not-the-secret-of-this-key-0000000000000" };
        (await cairn.AwsAs(forged, "sts", "get-caller-identity", "--region", "eu-central-1")).Fails("SignatureDoesNotMatch");

        // ci-2's calls, over a thousand of them (the old report read only a user's newest 1,000 entries by ARN prefix, so
        // `ci` saw `ci-2`'s), then its session credentials: the session's calls are not uses of ci-2's key.
        var session = (await cairn.AwsAs(ci2, "sts", "get-session-token", "--region", "us-west-2")).Ok()["Credentials"]!;
        var many = await cairn.Boto3("""
            for _ in range(1001):
                sts.get_caller_identity()
            print("ok")
            """, ci2);
        Assert.True(many.ExitCode == 0, many.Stderr);
        var temporary = cairn.Credentials(session["AccessKeyId"]!.GetValue<string>(), session["SecretAccessKey"]!.GetValue<string>(),
            session["SessionToken"]!.GetValue<string>(), region: "sa-east-1");
        (await cairn.AwsAs(temporary, "sts", "get-caller-identity")).Ok();
        (await cairn.Aws("iam", "get-access-key-last-used", "--access-key-id", session["AccessKeyId"]!.GetValue<string>())).Fails("AccessDenied");

        var stillCi = LastUse((await cairn.Aws("iam", "get-access-key-last-used", "--access-key-id", ciKey)).Ok());
        Assert.Equal(denied, stillCi);
        var ci2Use = LastUse((await cairn.Aws("iam", "get-access-key-last-used", "--access-key-id", ci2Key)).Ok());
        Assert.Equal(("sts", "us-east-1"), (ci2Use.Service, ci2Use.Region));

        (await cairn.Aws("iam", "generate-credential-report")).Ok();
        var content = (await cairn.Aws("iam", "get-credential-report")).Ok()["Content"]!.GetValue<string>();
        var rows = Encoding.UTF8.GetString(Convert.FromBase64String(content)).Split('\n');
        var ciRow = rows.Single(r => r.StartsWith("ci,", StringComparison.Ordinal)).Split(',');
        var ci2Row = rows.Single(r => r.StartsWith("ci-2,", StringComparison.Ordinal)).Split(',');
        var rootRow = rows.Single(r => r.StartsWith("<root_account>,", StringComparison.Ordinal)).Split(',');
        // access_key_1_active, _last_rotated, _last_used_date, _last_used_region, _last_used_service; then key 2's (none).
        Assert.Equal(["true", Iso(denied.Date), "ap-south-1", "ssm"], [ciRow[8], ciRow[10], ciRow[11], ciRow[12]]);
        Assert.Equal(["true", Iso(ci2Use.Date), "us-east-1", "sts", "false", "N/A", "N/A", "N/A", "N/A"], [ci2Row[8], .. ci2Row[10..18]]);
        // The root key's last use before the report: the get-access-key-last-used calls above.
        Assert.Equal(["true", "N/A", "us-east-1", "iam"], [rootRow[8], rootRow[9], rootRow[11], rootRow[12]]);
        Assert.True(DateTimeOffset.Parse(rootRow[10], System.Globalization.CultureInfo.InvariantCulture) >= ci2Use.Date.AddSeconds(-1), rootRow[10]);

        var boto = await cairn.Boto3($$"""
            used = iam.get_access_key_last_used(AccessKeyId="{{ciKey}}")
            print(used["UserName"], used["AccessKeyLastUsed"]["ServiceName"], used["AccessKeyLastUsed"]["Region"],
                  used["AccessKeyLastUsed"]["LastUsedDate"].tzinfo is not None)
            print(error_code(iam.get_access_key_last_used, AccessKeyId="AKIANOSUCHKEY0000000").split(":")[0])
            """);
        Assert.True(boto.ExitCode == 0, boto.Stderr);
        Assert.Equal(["ci ssm ap-south-1 True", "AccessDenied"], boto.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static (DateTimeOffset Date, string Service, string Region) LastUse(JsonNode answer)
    {
        var used = answer["AccessKeyLastUsed"]!;
        return (DateTimeOffset.Parse(used["LastUsedDate"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            used["ServiceName"]!.GetValue<string>(), used["Region"]!.GetValue<string>());
    }

    private static string Iso(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", System.Globalization.CultureInfo.InvariantCulture);
}
