using System.Text.Json.Nodes;
using Cairn.Application.Logs;
using Cairn.Core.Errors;
using Cairn.Server.Services.Logs;
using Cairn.Server.Tests.CodeBuild;

namespace Cairn.Server.Tests.Logs;

/// <summary>CloudWatch Logs over build logs: group /aws/codebuild/&lt;project&gt;, stream = build uuid, one event per line.</summary>
public sealed class LogsServiceTests : CodeBuildFixture
{
    private readonly LogsService _logs;

    public LogsServiceTests() => _logs = new LogsService(new LogService(LogStore, Logs, Authorizer, Time));

    private async Task<string> BuildWithLogAsync(params string[] lines)
    {
        var id = (await StartAsync())["id"]!.GetValue<string>();
        var uuid = id[(id.IndexOf(':', StringComparison.Ordinal) + 1)..];
        await LogStore.EnsureBuildStreamAsync(Account, Region, "/aws/codebuild/app", uuid, uuid, Time.GetUtcNow(), CancellationToken.None);
        await using var writer = Logs.OpenWriter(uuid);
        foreach (var line in lines)
        {
            writer.Append(line, Time.GetUtcNow());
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        return uuid;
    }

    private Task<JsonObject> LogsAsync(string operation, string json) =>
        _logs.InvokeAsync(operation, (JsonObject)JsonNode.Parse(json)!, Context(), CancellationToken.None);

    private static List<string> Messages(JsonObject result) => result["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Get_log_events_returns_each_line_with_its_time_and_newline()
    {
        await CreateProjectAsync();
        var uuid = await BuildWithLogAsync("one", "two", "three");

        var result = await LogsAsync("GetLogEvents", $$"""{"logGroupName":"/aws/codebuild/app","logStreamName":"{{uuid}}","startFromHead":true}""");

        Assert.Equal(["one\n", "two\n", "three\n"], Messages(result));
        var first = result["events"]![0]!;
        Assert.Equal(Time.GetUtcNow().AddSeconds(-3).ToUnixTimeMilliseconds(), first["timestamp"]!.GetValue<long>());
        Assert.Contains(("logs:GetLogEvents", $"arn:aws:logs:{Region}:{Account}:log-group:/aws/codebuild/app:log-stream:{uuid}"), Authorizer.Calls);
    }

    [Fact]
    public async Task Forward_tokens_page_through_the_log_and_repeat_at_its_end()
    {
        await CreateProjectAsync();
        var uuid = await BuildWithLogAsync("a", "b", "c");
        var request = $$"""{"logGroupName":"/aws/codebuild/app","logStreamName":"{{uuid}}","startFromHead":true,"limit":2""";

        var first = await LogsAsync("GetLogEvents", request + "}");
        var second = await LogsAsync("GetLogEvents", request + $$""","nextToken":"{{first["nextForwardToken"]}}"}""");
        var end = await LogsAsync("GetLogEvents", request + $$""","nextToken":"{{second["nextForwardToken"]}}"}""");
        var back = await LogsAsync("GetLogEvents", request + $$""","nextToken":"{{second["nextBackwardToken"]}}"}""");

        Assert.Equal(["a\n", "b\n"], Messages(first));
        Assert.Equal(["c\n"], Messages(second));
        Assert.Empty(Messages(end));
        Assert.Equal(second["nextForwardToken"]!.GetValue<string>(), end["nextForwardToken"]!.GetValue<string>());
        Assert.Equal(["a\n", "b\n"], Messages(back));
    }

    [Fact]
    public async Task Without_start_from_head_the_newest_events_come_back()
    {
        await CreateProjectAsync();
        var uuid = await BuildWithLogAsync("a", "b", "c");

        var result = await LogsAsync("GetLogEvents", $$"""{"logGroupIdentifier":"arn:aws:logs:us-east-1:000000000000:log-group:/aws/codebuild/app","logStreamName":"{{uuid}}","limit":2}""");

        Assert.Equal(["b\n", "c\n"], Messages(result));
    }

    [Theory]
    [InlineData("/aws/codebuild/ghost", "The specified log group does not exist: /aws/codebuild/ghost.")]
    [InlineData("/not/codebuild", "The specified log group does not exist: /not/codebuild.")]
    [InlineData("/aws/codebuild/app", "The specified log stream does not exist: 00000000-0000-0000-0000-000000000000 in /aws/codebuild/app.")]
    public async Task Unknown_groups_and_streams_are_ResourceNotFoundException_with_cloudwatchs_text_then_the_name(string group, string message)
    {
        await CreateProjectAsync();
        await BuildWithLogAsync("x");

        var error = await Assert.ThrowsAsync<AwsException>(() =>
            LogsAsync("GetLogEvents", $$"""{"logGroupName":"{{group}}","logStreamName":"00000000-0000-0000-0000-000000000000"}"""));

        Assert.Equal("ResourceNotFoundException", error.Code);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_log_events_searches_every_build_of_the_project_with_term_patterns()
    {
        await CreateProjectAsync();
        var first = await BuildWithLogAsync("[Container] Phase complete: BUILD State: SUCCEEDED", "noise");
        var second = await BuildWithLogAsync("[Container] Phase complete: BUILD State: FAILED", "error: boom");

        var failed = await LogsAsync("FilterLogEvents", """{"logGroupName":"/aws/codebuild/app","filterPattern":"\"Phase complete\" FAILED"}""");
        var either = await LogsAsync("FilterLogEvents", """{"logGroupName":"/aws/codebuild/app","filterPattern":"?noise ?boom"}""");
        var excluded = await LogsAsync("FilterLogEvents", $$"""{"logGroupName":"/aws/codebuild/app","logStreamNames":["{{first}}"],"filterPattern":"-noise"}""");

        Assert.Equal(second, failed["events"]![0]!["logStreamName"]!.GetValue<string>());
        Assert.Single(Messages(failed));
        Assert.Equal(["noise\n", "error: boom\n"], Messages(either));
        Assert.Equal(["[Container] Phase complete: BUILD State: SUCCEEDED\n"], Messages(excluded));
        Assert.Equal(2, failed["searchedLogStreams"]!.AsArray().Count);
    }

    [Fact]
    public async Task Filter_log_events_pages_with_a_next_token()
    {
        await CreateProjectAsync();
        await BuildWithLogAsync("1", "2");
        await BuildWithLogAsync("3");

        var first = await LogsAsync("FilterLogEvents", """{"logGroupName":"/aws/codebuild/app","limit":2}""");
        var rest = await LogsAsync("FilterLogEvents", $$"""{"logGroupName":"/aws/codebuild/app","limit":2,"nextToken":"{{first["nextToken"]}}"}""");

        Assert.Equal(["1\n", "2\n"], Messages(first));
        Assert.Equal(["3\n"], Messages(rest));
        Assert.Null(rest["nextToken"]);
    }

    [Theory]
    [InlineData("cairn-filter:-1:0")]
    [InlineData("cairn-filter:99999999999:0")]
    [InlineData("cairn-filter:0:-5")]
    public async Task A_forged_filter_token_is_an_invalid_parameter(string token)
    {
        await CreateProjectAsync();
        await BuildWithLogAsync("1");
        var encoded = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(token));

        var error = await Assert.ThrowsAsync<AwsException>(() => LogsAsync("FilterLogEvents", $$"""{"logGroupName":"/aws/codebuild/app","nextToken":"{{encoded}}"}"""));

        Assert.Equal("InvalidParameterException", error.Code);
    }

    [Fact]
    public async Task Describe_log_streams_lists_the_builds_with_their_event_times()
    {
        await CreateProjectAsync();
        var uuid = await BuildWithLogAsync("x");

        var result = await LogsAsync("DescribeLogStreams", """{"logGroupName":"/aws/codebuild/app"}""");
        var groups = await LogsAsync("DescribeLogGroups", """{"logGroupNamePrefix":"/aws/codebuild/"}""");

        var stream = result["logStreams"]![0]!;
        Assert.Equal(uuid, stream["logStreamName"]!.GetValue<string>());
        Assert.NotNull(stream["lastEventTimestamp"]);
        Assert.Equal("/aws/codebuild/app", groups["logGroups"]![0]!["logGroupName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Json_filter_patterns_are_refused_with_a_clear_message()
    {
        await CreateProjectAsync();

        var error = await Assert.ThrowsAsync<AwsException>(() => LogsAsync("FilterLogEvents", """{"logGroupName":"/aws/codebuild/app","filterPattern":"{ $.level = \"error\" }"}"""));

        Assert.Equal("InvalidParameterException", error.Code);
    }
}
