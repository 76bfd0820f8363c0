using System.Text.Json.Nodes;
using Cairn.Application.Logs;
using Cairn.Core.Errors;
using Cairn.Server.Services.Logs;
using Cairn.Server.Tests.CodeBuild;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Server.Tests.Logs;

/// <summary>CloudWatch Logs' writes: groups, streams, PutLogEvents' batch rules, retention and its sweep, tags, and projects' logsConfig.</summary>
public sealed class LogsWriteTests : CodeBuildFixture
{
    private readonly LogsService _logs;

    public LogsWriteTests() => _logs = new LogsService(new LogService(LogStore, Logs, Authorizer, Time));

    private Task<JsonObject> LogsAsync(string operation, string json) =>
        _logs.InvokeAsync(operation, (JsonObject)JsonNode.Parse(json)!, Context(), CancellationToken.None);

    private async Task<AwsException> LogsFailAsync(string operation, string json) => await Assert.ThrowsAsync<AwsException>(() => LogsAsync(operation, json));

    private long Now(double hours = 0) => Time.GetUtcNow().AddHours(hours).ToUnixTimeMilliseconds();

    private async Task GroupAndStreamAsync(string group = "/app/web", string stream = "s1")
    {
        await LogsAsync("CreateLogGroup", $$"""{"logGroupName":"{{group}}"}""");
        await LogsAsync("CreateLogStream", $$"""{"logGroupName":"{{group}}","logStreamName":"{{stream}}"}""");
    }

    private static List<string> Messages(JsonObject result) => result["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Put_events_are_read_back_by_get_and_filter_and_the_group_and_stream_are_described()
    {
        await GroupAndStreamAsync();

        var put = await LogsAsync("PutLogEvents", $$"""{"logGroupName":"/app/web","logStreamName":"s1","logEvents":[{"timestamp":{{Now(-1)}},"message":"GET / 200"},{"timestamp":{{Now()}},"message":"GET /x 500"}]}""");
        var get = await LogsAsync("GetLogEvents", """{"logGroupName":"/app/web","logStreamName":"s1","startFromHead":true}""");
        var filtered = await LogsAsync("FilterLogEvents", """{"logGroupName":"/app/web","filterPattern":"500"}""");
        var streams = await LogsAsync("DescribeLogStreams", """{"logGroupName":"/app/web"}""");
        var groups = await LogsAsync("DescribeLogGroups", """{"logGroupNamePrefix":"/app/"}""");

        Assert.Null(put["rejectedLogEventsInfo"]);
        Assert.Equal(["GET / 200", "GET /x 500"], Messages(get));
        Assert.Equal(["GET /x 500"], Messages(filtered));
        Assert.Equal(Now(-1), streams["logStreams"]![0]!["firstEventTimestamp"]!.GetValue<long>());
        Assert.Equal("/app/web", groups["logGroups"]![0]!["logGroupName"]!.GetValue<string>());
        Assert.Equal("GET / 200GET /x 500".Length, streams["logStreams"]![0]!["storedBytes"]!.GetValue<long>());
        Assert.Equal("GET / 200GET /x 500".Length, groups["logGroups"]![0]!["storedBytes"]!.GetValue<long>());
        Assert.Contains(("logs:PutLogEvents", $"arn:aws:logs:{Region}:{Account}:log-group:/app/web:log-stream:s1"), Authorizer.Calls);
    }

    [Fact]
    public async Task Creating_twice_is_ResourceAlreadyExists_and_a_stream_needs_its_group()
    {
        await GroupAndStreamAsync();

        var group = await LogsFailAsync("CreateLogGroup", """{"logGroupName":"/app/web"}""");
        var stream = await LogsFailAsync("CreateLogStream", """{"logGroupName":"/app/web","logStreamName":"s1"}""");
        var orphan = await LogsFailAsync("CreateLogStream", """{"logGroupName":"/ghost","logStreamName":"s1"}""");
        var reserved = await LogsFailAsync("CreateLogGroup", """{"logGroupName":"aws/mine"}""");

        Assert.Equal(("ResourceAlreadyExistsException", "ResourceAlreadyExistsException"), (group.Code, stream.Code));
        Assert.StartsWith("The specified log group already exists", group.Message, StringComparison.Ordinal);
        Assert.Equal("ResourceNotFoundException", orphan.Code);
        Assert.Equal("InvalidParameterException", reserved.Code);
    }

    [Fact]
    public async Task Events_out_of_order_fail_the_batch_and_events_too_old_too_new_or_expired_are_rejected_alone()
    {
        await GroupAndStreamAsync();
        await LogsAsync("PutRetentionPolicy", """{"logGroupName":"/app/web","retentionInDays":1}""");

        var disorder = await LogsFailAsync("PutLogEvents", $$"""{"logGroupName":"/app/web","logStreamName":"s1","logEvents":[{"timestamp":{{Now()}},"message":"b"},{"timestamp":{{Now(-1)}},"message":"a"}]}""");
        var put = await LogsAsync("PutLogEvents", $$"""
            {"logGroupName":"/app/web","logStreamName":"s1","sequenceToken":"anything","logEvents":[
              {"timestamp":{{Now(-24 * 15)}},"message":"too old"},{"timestamp":{{Now(-30)}},"message":"expired"},
              {"timestamp":{{Now()}},"message":"kept"},{"timestamp":{{Now(3)}},"message":"too new"}]}
            """);
        var get = await LogsAsync("GetLogEvents", """{"logGroupName":"/app/web","logStreamName":"s1","startFromHead":true}""");

        Assert.Equal("InvalidParameterException", disorder.Code);
        Assert.Equal("Log events in a single PutLogEvents request must be in chronological order.", disorder.Message);
        var rejected = put["rejectedLogEventsInfo"]!;
        Assert.Equal(0, rejected["tooOldLogEventEndIndex"]!.GetValue<int>());
        Assert.Equal(1, rejected["expiredLogEventEndIndex"]!.GetValue<int>());
        Assert.Equal(3, rejected["tooNewLogEventStartIndex"]!.GetValue<int>());
        Assert.Equal(["kept"], Messages(get));
    }

    [Fact]
    public async Task A_build_streams_stored_bytes_are_its_logs_and_count_in_its_group()
    {
        await CreateProjectAsync();
        var uuid = Guid.NewGuid().ToString();
        await LogStore.EnsureBuildStreamAsync(Account, Region, "/aws/codebuild/app", uuid, uuid, Time.GetUtcNow(), CancellationToken.None);
        await using (var writer = Logs.OpenWriter(uuid))
        {
            writer.Append("[Container] 2030/01/01 00:00:00 Entering phase BUILD", Time.GetUtcNow());
        }

        var streams = await LogsAsync("DescribeLogStreams", """{"logGroupName":"/aws/codebuild/app"}""");
        var groups = await LogsAsync("DescribeLogGroups", """{"logGroupNamePrefix":"/aws/codebuild/app"}""");

        var bytes = await Logs.StoredBytesAsync(uuid, CancellationToken.None);
        Assert.True(bytes > 50, $"{bytes} bytes");
        Assert.Equal(bytes, streams["logStreams"]![0]!["storedBytes"]!.GetValue<long>());
        Assert.Equal(bytes, groups["logGroups"]![0]!["storedBytes"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_build_stream_is_not_written_by_put_log_events()
    {
        await CreateProjectAsync();
        await LogStore.EnsureBuildStreamAsync(Account, Region, "/aws/codebuild/app", "u1", "u1", Time.GetUtcNow(), CancellationToken.None);

        var error = await LogsFailAsync("PutLogEvents", $$"""{"logGroupName":"/aws/codebuild/app","logStreamName":"u1","logEvents":[{"timestamp":{{Now()}},"message":"x"}]}""");

        Assert.Equal("InvalidParameterException", error.Code);
        Assert.Contains("CodeBuild build's log", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_takes_only_AWSs_day_values_and_is_shown_until_deleted()
    {
        await GroupAndStreamAsync();

        var wrong = await LogsFailAsync("PutRetentionPolicy", """{"logGroupName":"/app/web","retentionInDays":2}""");
        await LogsAsync("PutRetentionPolicy", """{"logGroupName":"/app/web","retentionInDays":14}""");
        var with = await LogsAsync("DescribeLogGroups", "{}");
        await LogsAsync("DeleteRetentionPolicy", """{"logGroupName":"/app/web"}""");
        var without = await LogsAsync("DescribeLogGroups", "{}");
        var missing = await LogsFailAsync("PutRetentionPolicy", """{"logGroupName":"/ghost","retentionInDays":1}""");

        Assert.Equal("InvalidParameterException", wrong.Code);
        Assert.StartsWith("1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14,", wrong.Message, StringComparison.Ordinal);
        Assert.Equal(14, with["logGroups"]![0]!["retentionInDays"]!.GetValue<int>());
        Assert.Null(without["logGroups"]![0]!["retentionInDays"]);
        Assert.Equal("ResourceNotFoundException", missing.Code);
    }

    [Fact]
    public async Task The_sweep_deletes_events_and_finished_build_logs_past_retention_and_nothing_else()
    {
        await GroupAndStreamAsync();
        await LogsAsync("PutLogEvents", $$"""{"logGroupName":"/app/web","logStreamName":"s1","logEvents":[{"timestamp":{{Now(-30)}},"message":"old"}]}""");
        await LogsAsync("PutLogEvents", $$"""{"logGroupName":"/app/web","logStreamName":"s1","logEvents":[{"timestamp":{{Now()}},"message":"new"}]}""");
        await LogsAsync("PutRetentionPolicy", """{"logGroupName":"/app/web","retentionInDays":1}""");
        await LogStore.EnsureBuildStreamAsync(Account, Region, "/aws/codebuild/app", "11111111-1111-1111-1111-111111111111", "11111111-1111-1111-1111-111111111111", Time.GetUtcNow(), CancellationToken.None);
        await using (var writer = Logs.OpenWriter("11111111-1111-1111-1111-111111111111"))
        {
            writer.Append("build line", Time.GetUtcNow());
        }

        await LogsAsync("PutRetentionPolicy", """{"logGroupName":"/aws/codebuild/app","retentionInDays":3}""");
        using var sweep = new LogRetentionSweep(LogStore, Logs, Time, NullLogger<LogRetentionSweep>.Instance);

        var first = await sweep.SweepAsync(CancellationToken.None);
        Time.Advance(TimeSpan.FromDays(4));
        var later = await sweep.SweepAsync(CancellationToken.None);

        Assert.Equal((1L, 0), first);
        Assert.Equal((1L, 1), later);
        Assert.Empty(Messages(await LogsAsync("GetLogEvents", """{"logGroupName":"/app/web","logStreamName":"s1","startFromHead":true}""")));
        Assert.Equal(0, (await Logs.DescribeAsync("11111111-1111-1111-1111-111111111111", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Tags_by_arn_and_by_name_are_the_same_tags()
    {
        await LogsAsync("CreateLogGroup", """{"logGroupName":"/app/web","tags":{"team":"web"}}""");
        var arn = $"arn:aws:logs:{Region}:{Account}:log-group:/app/web";

        await LogsAsync("TagResource", $$$"""{"resourceArn":"{{{arn}}}","tags":{"env":"prod"}}""");
        await LogsAsync("UntagLogGroup", """{"logGroupName":"/app/web","tags":["team"]}""");
        await LogsAsync("TagLogGroup", """{"logGroupName":"/app/web","tags":{"owner":"ops"}}""");
        var byArn = await LogsAsync("ListTagsForResource", $$"""{"resourceArn":"{{arn}}"}""");
        var byName = await LogsAsync("ListTagsLogGroup", """{"logGroupName":"/app/web"}""");
        var missing = await LogsFailAsync("ListTagsForResource", $$"""{"resourceArn":"{{arn}}x"}""");

        Assert.Equal("""{"env":"prod","owner":"ops"}""", byArn["tags"]!.ToJsonString());
        Assert.Equal(byArn["tags"]!.ToJsonString(), byName["tags"]!.ToJsonString());
        Assert.Equal("ResourceNotFoundException", missing.Code);
    }

    [Fact]
    public async Task More_than_50_tags_is_TooManyTagsException_and_leaves_the_tags()
    {
        await LogsAsync("CreateLogGroup", """{"logGroupName":"/app/web","tags":{"keep":"me"}}""");
        var fifty = string.Join(",", Enumerable.Range(0, 50).Select(i => $"\"k{i}\":\"v\""));

        var error = await LogsFailAsync("TagResource", "{\"resourceArn\":\"arn:aws:logs:" + Region + ":" + Account + ":log-group:/app/web\",\"tags\":{" + fifty + "}}");

        Assert.Equal("TooManyTagsException", error.Code);
        Assert.Equal("""{"keep":"me"}""", (await LogsAsync("ListTagsLogGroup", """{"logGroupName":"/app/web"}"""))["tags"]!.ToJsonString());
    }

    [Fact]
    public async Task Deleting_a_stream_and_a_group_takes_their_events()
    {
        await GroupAndStreamAsync();
        await LogsAsync("PutLogEvents", $$"""{"logGroupName":"/app/web","logStreamName":"s1","logEvents":[{"timestamp":{{Now()}},"message":"x"}]}""");

        await LogsAsync("DeleteLogStream", """{"logGroupName":"/app/web","logStreamName":"s1"}""");
        var stream = await LogsFailAsync("GetLogEvents", """{"logGroupName":"/app/web","logStreamName":"s1"}""");
        await LogsAsync("DeleteLogGroup", """{"logGroupName":"/app/web"}""");
        var group = await LogsFailAsync("DeleteLogGroup", """{"logGroupName":"/app/web"}""");

        Assert.StartsWith("The specified log stream does not exist", stream.Message, StringComparison.Ordinal);
        Assert.StartsWith("The specified log group does not exist", group.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"cloudWatchLogs":{"status":"ENABLED","groupName":"/team/builds","streamName":"app"}}""", "/team/builds", "app/")]
    [InlineData("""{"cloudWatchLogs":{"status":"ENABLED","groupName":"/team/builds"}}""", "/team/builds", "")]
    [InlineData("""{"cloudWatchLogs":{"status":"ENABLED"}}""", "/aws/codebuild/app", "")]
    public async Task A_builds_logs_name_the_projects_logsConfig_group_and_stream_prefix(string logsConfig, string group, string streamPrefix)
    {
        await CreateProjectAsync(extra: ",\"logsConfig\":" + logsConfig);

        var build = await StartAsync();
        var uuid = build["id"]!.GetValue<string>().Split(':')[1];

        Assert.Equal(group, build["logs"]!["groupName"]!.GetValue<string>());
        Assert.Equal(streamPrefix + uuid, build["logs"]!["streamName"]!.GetValue<string>());
        Assert.Equal($"arn:aws:logs:{Region}:{Account}:log-group:{group}:log-stream:{streamPrefix}{uuid}", build["logs"]!["cloudWatchLogsArn"]!.GetValue<string>());
        Assert.Equal("ENABLED", build["logs"]!["cloudWatchLogs"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_build_with_cloudwatch_logs_disabled_says_so_and_names_no_stream()
    {
        await CreateProjectAsync(extra: ""","logsConfig":{"cloudWatchLogs":{"status":"DISABLED"}}""");

        var logs = (await StartAsync())["logs"]!;

        Assert.Equal("""{"cloudWatchLogs":{"status":"DISABLED"}}""", logs.ToJsonString());
    }
}
