using Cairn.Core.Errors;
using Cairn.Core.Secrets;

namespace Cairn.Server.Tests.SecretsManager;

/// <summary>RotateSecret and CancelRotateSecret: schedules recorded and shown, no rotation function run, AWS's rules for the rules.</summary>
public sealed class SecretRotationTests : SecretsManagerFixture
{
    private const string Function = "arn:aws:lambda:us-east-1:000000000000:function:rotate-db";

    [Fact]
    public async Task Rotating_now_answers_that_the_function_cannot_be_invoked_and_changes_nothing()
    {
        await CallAsync("CreateSecret", """{"Name":"rot/now","SecretString":"v"}""");

        var refused = await FailAsync("RotateSecret", $$"""{"SecretId":"rot/now","RotationLambdaARN":"{{Function}}","RotationRules":{"AutomaticallyAfterDays":30} }""");
        var described = await CallAsync("DescribeSecret", """{"SecretId":"rot/now"}""");
        var unconfigured = await FailAsync("RotateSecret", """{"SecretId":"rot/now","RotateImmediately":false}""");

        Assert.Equal("AccessDeniedException", refused.Code);
        Assert.StartsWith("Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Cairn records rotation schedules but runs no rotation functions", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--no-rotate-immediately", refused.Message, StringComparison.Ordinal);
        Assert.Contains("put-secret-value --secret-id rot/now", refused.Message, StringComparison.Ordinal);
        Assert.Null(described["RotationEnabled"]);
        Assert.Null(described["RotationLambdaARN"]);
        Assert.Equal("InvalidRequestException", unconfigured.Code);
        Assert.StartsWith("No Lambda rotation function ARN is associated with this secret.", unconfigured.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schedule_kept_without_rotating_is_shown_cancelled_and_turned_on_again()
    {
        await CallAsync("CreateSecret", """{"Name":"rot/kept","SecretString":"v"}""");

        var rotated = await CallAsync("RotateSecret", $$"""{"SecretId":"rot/kept","RotationLambdaARN":"{{Function}}","RotationRules":{"AutomaticallyAfterDays":30},"RotateImmediately":false}""");
        var on = await CallAsync("DescribeSecret", """{"SecretId":"rot/kept"}""");
        var listed = (await CallAsync("ListSecrets", """{"Filters":[{"Key":"name","Values":["rot/kept"]}]}"""))["SecretList"]![0]!;
        await CallAsync("CancelRotateSecret", """{"SecretId":"rot/kept"}""");
        var off = await CallAsync("DescribeSecret", """{"SecretId":"rot/kept"}""");
        await CallAsync("RotateSecret", """{"SecretId":"rot/kept","RotateImmediately":false}""");
        var again = await CallAsync("DescribeSecret", """{"SecretId":"rot/kept"}""");

        var expected = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(31).AddSeconds(-1);
        Assert.Equal("rot/kept", rotated["Name"]!.GetValue<string>());
        Assert.True(on["RotationEnabled"]!.GetValue<bool>());
        Assert.Equal(Function, on["RotationLambdaARN"]!.GetValue<string>());
        Assert.Equal("""{"AutomaticallyAfterDays":30}""", on["RotationRules"]!.ToJsonString());
        Assert.Equal(expected.ToUnixTimeSeconds(), (long)on["NextRotationDate"]!.GetValue<double>());
        Assert.Null(on["LastRotatedDate"]);
        Assert.True(listed["RotationEnabled"]!.GetValue<bool>());
        Assert.NotNull(listed["NextRotationDate"]);
        Assert.False(off["RotationEnabled"]!.GetValue<bool>());
        Assert.Null(off["NextRotationDate"]);
        Assert.Equal(Function, off["RotationLambdaARN"]!.GetValue<string>());
        Assert.True(again["RotationEnabled"]!.GetValue<bool>());
        Assert.NotNull(again["NextRotationDate"]);
    }

    [Theory]
    [InlineData("""{"AutomaticallyAfterDays":7,"ScheduleExpression":"rate(7 days)"}""", "InvalidParameterException", "both AutomaticallyAfterDays and ScheduleExpression")]
    [InlineData("""{"ScheduleExpression":"rate(2 hours)"}""", "InvalidParameterException", "from 4 to 23 hours")]
    [InlineData("""{"ScheduleExpression":"rate(1001 days)"}""", "InvalidParameterException", "from 1 to 1000 days")]
    [InlineData("""{"ScheduleExpression":"rate(6 hours)","Duration":"8h"}""", "InvalidParameterException", "at most 6h")]
    [InlineData("""{"ScheduleExpression":"cron(0 16 * * ?)"}""", "InvalidParameterException", "has 6 fields")]
    [InlineData("""{"ScheduleExpression":"cron(0 16 1 * MON *)"}""", "InvalidParameterException", "both day-of-month")]
    [InlineData("""{"ScheduleExpression":"every day"}""", "InvalidParameterException", "rate(N hours)")]
    [InlineData("""{"AutomaticallyAfterDays":3,"Duration":"30h"}""", "InvalidParameterException", "from 1h to 24h")]
    [InlineData("""{"AutomaticallyAfterDays":0}""", "ValidationException", "rotationRules.automaticallyAfterDays")]
    [InlineData("""{}""", "InvalidParameterException", "needs AutomaticallyAfterDays or ScheduleExpression")]
    public async Task Rotation_rules_outside_AWSs_rules_answer_4xx_saying_what_to_change(string rules, string code, string text)
    {
        await CallAsync("CreateSecret", """{"Name":"rot/rules","SecretString":"v"}""");

        var error = await FailAsync("RotateSecret", $$"""{"SecretId":"rot/rules","RotationLambdaARN":"{{Function}}","RotationRules":{{rules}},"RotateImmediately":false}""");

        Assert.Equal(code, error.Code);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_that_is_not_a_lambda_arn_is_InvalidParameter()
    {
        await CallAsync("CreateSecret", """{"Name":"rot/arn","SecretString":"v"}""");

        var error = await FailAsync("RotateSecret", """{"SecretId":"rot/arn","RotationLambdaARN":"my-function","RotationRules":{"AutomaticallyAfterDays":1},"RotateImmediately":false}""");

        Assert.Equal("InvalidParameterException", error.Code);
        Assert.Contains("arn:aws:lambda:REGION:ACCOUNT:function:NAME", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "rate(10 days)", null, "2026-03-14T23:59:59Z")]
    [InlineData(30L, null, "3h", "2026-04-03T02:59:59Z")]
    [InlineData(null, "rate(6 hours)", "2h", "2026-03-04T13:59:59Z")]
    [InlineData(null, "rate(6 hours)", null, "2026-03-04T12:59:59Z")]
    [InlineData(null, "rate(5 hours)", null, "2026-03-04T15:59:59Z")]
    [InlineData(null, "rate(11 hours)", null, "2026-03-04T11:59:59Z")]
    [InlineData(null, "rate(7 hours)", null, "2026-03-04T14:59:59Z")]
    [InlineData(null, "rate(13 hours)", null, "2026-03-04T13:59:59Z")]
    [InlineData(null, "rate(9 hours)", "1h", "2026-03-04T18:59:59Z")]
    [InlineData(null, "cron(0 16 1,15 * ? *)", null, "2026-03-15T23:59:59Z")]
    [InlineData(null, "cron(0 */4 * * ? *)", null, "2026-03-04T12:59:59Z")]
    [InlineData(null, "cron(30 8 ? * MON *)", "2h", "2026-03-09T10:29:59Z")]
    public void The_next_rotation_is_the_end_of_the_next_window_in_UTC(long? days, string? expression, string? duration, string expected)
    {
        var since = DateTimeOffset.Parse("2026-03-04T10:20:00Z", System.Globalization.CultureInfo.InvariantCulture);

        var next = RotationSchedule.Parse(days, expression, duration).NextRotation(since);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void A_cron_window_starts_on_the_minute_whatever_the_seconds_of_the_last_change()
    {
        var since = DateTimeOffset.Parse("2026-03-04T15:59:30Z", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(DateTimeOffset.Parse("2026-03-04T16:59:59Z", System.Globalization.CultureInfo.InvariantCulture),
            RotationSchedule.Parse(null, "cron(0 16 * * ? *)", "1h").NextRotation(since));
    }

    [Fact]
    public void A_cron_that_never_matches_again_has_no_next_rotation()
    {
        var since = DateTimeOffset.Parse("2026-03-04T10:20:00Z", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Null(RotationSchedule.Parse(null, "cron(0 16 1 1 ? 2020)", null).NextRotation(since));
        Assert.Throws<AwsException>(() => RotationSchedule.Parse(null, null, null));
    }
}
