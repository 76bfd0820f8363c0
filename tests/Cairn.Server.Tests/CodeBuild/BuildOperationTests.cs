using System.Text.Json.Nodes;
using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Application.Builds.Queue;
using Cairn.Core.Builds;
using Cairn.Server.Services.CodeBuild.Queue;

namespace Cairn.Server.Tests.CodeBuild;

public sealed class BuildOperationTests : CodeBuildFixture
{
    [Fact]
    public async Task Start_build_queues_a_build_with_codebuilds_id_phases_and_log_names()
    {
        await CreateProjectAsync();

        var build = await StartAsync();

        var id = build["id"]!.GetValue<string>();
        var uuid = id["app:".Length..];
        Assert.StartsWith("app:", id, StringComparison.Ordinal);
        Assert.True(Guid.TryParseExact(uuid, "D", out _));
        Assert.Equal($"arn:aws:codebuild:{Region}:{Account}:build/{id}", build["arn"]!.GetValue<string>());
        Assert.Equal(1, build["buildNumber"]!.GetValue<long>());
        Assert.Equal("QUEUED", build["currentPhase"]!.GetValue<string>());
        Assert.Equal("IN_PROGRESS", build["buildStatus"]!.GetValue<string>());
        Assert.False(build["buildComplete"]!.GetValue<bool>());
        Assert.Equal(["SUBMITTED", "QUEUED"], build["phases"]!.AsArray().Select(p => p!["phaseType"]!.GetValue<string>()));
        Assert.Equal("SUCCEEDED", build["phases"]![0]!["phaseStatus"]!.GetValue<string>());
        Assert.Equal("/aws/codebuild/app", build["logs"]!["groupName"]!.GetValue<string>());
        Assert.Equal(uuid, build["logs"]!["streamName"]!.GetValue<string>());
        Assert.Equal($"http://127.0.0.1:4566/_cairn/builds/app%3A{uuid}/log", build["logs"]!["deepLink"]!.GetValue<string>());
        Assert.Equal("ci", build["initiator"]!.GetValue<string>());
        Assert.Contains(("codebuild:StartBuild", ProjectArn("app")), Authorizer.Calls);
    }

    [Fact]
    public async Task Start_build_applies_every_override_to_that_build_only()
    {
        await CreateProjectAsync();

        var build = await StartAsync("""
            {"projectName":"app","sourceVersion":"feature/x","buildspecOverride":"version: 0.2\nphases: {build: {commands: [echo hi]}}",
             "environmentVariablesOverride":[{"name":"STAGE","value":"prod"},{"name":"EXTRA","value":"1"}],
             "imageOverride":"busybox:cairn","privilegedModeOverride":true,"timeoutInMinutesOverride":7,"environmentTypeOverride":"LINUX_CONTAINER"}
            """);
        var project = (JsonObject)(await CallAsync("BatchGetProjects", """{"names":["app"]}"""))["projects"]![0]!;

        Assert.Equal("feature/x", build["sourceVersion"]!.GetValue<string>());
        Assert.StartsWith("version: 0.2", build["source"]!["buildspec"]!.GetValue<string>(), StringComparison.Ordinal);
        var variables = build["environment"]!["environmentVariables"]!.AsArray();
        Assert.Equal(["STAGE", "PASSWORD", "EXTRA"], variables.Select(v => v!["name"]!.GetValue<string>()));
        Assert.Equal("prod", variables[0]!["value"]!.GetValue<string>());
        Assert.Equal("PLAINTEXT", variables[2]!["type"]!.GetValue<string>());
        Assert.Equal("busybox:cairn", build["environment"]!["image"]!.GetValue<string>());
        Assert.Equal("LINUX_CONTAINER", build["environment"]!["type"]!.GetValue<string>());
        Assert.True(build["environment"]!["privilegedMode"]!.GetValue<bool>());
        Assert.Equal(7, build["timeoutInMinutes"]!.GetValue<int>());
        Assert.Equal("host", project["environment"]!["image"]!.GetValue<string>());
        Assert.Equal(60, project["timeoutInMinutes"]!.GetValue<int>());
    }

    [Fact]
    public async Task Starting_a_build_of_a_missing_project_is_ResourceNotFoundException()
    {
        var error = await FailsAsync("StartBuild", """{"projectName":"ghost"}""");

        Assert.Equal("ResourceNotFoundException", error.Code);
        Assert.Equal($"Project cannot be found: {ProjectArn("ghost")}", error.Message);
    }

    [Fact]
    public async Task A_timeout_override_below_five_minutes_is_a_ValidationException()
    {
        await CreateProjectAsync();

        var error = await FailsAsync("StartBuild", """{"projectName":"app","timeoutInMinutesOverride":1}""");

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains("Member must have value greater than or equal to 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_idempotency_token_and_request_return_the_same_build()
    {
        await CreateProjectAsync();

        var first = await StartAsync("""{"projectName":"app","idempotencyToken":"t-1"}""");
        var again = await StartAsync("""{"projectName":"app","idempotencyToken":"t-1"}""");
        var error = await FailsAsync("StartBuild", """{"projectName":"app","idempotencyToken":"t-1","sourceVersion":"other"}""");
        Time.Advance(TimeSpan.FromMinutes(6));
        var later = await StartAsync("""{"projectName":"app","idempotencyToken":"t-1"}""");

        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        Assert.Equal("InvalidInputException", error.Code);
        Assert.NotEqual(first["id"]!.GetValue<string>(), later["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stopping_a_queued_build_stops_it_at_once()
    {
        await CreateProjectAsync();
        var id = (await StartAsync())["id"]!.GetValue<string>();

        var stopped = (JsonObject)(await CallAsync("StopBuild", $$"""{"id":"{{id}}"}"""))["build"]!;

        Assert.Equal("STOPPED", stopped["buildStatus"]!.GetValue<string>());
        Assert.Equal("COMPLETED", stopped["currentPhase"]!.GetValue<string>());
        Assert.True(stopped["buildComplete"]!.GetValue<bool>());
        var queued = stopped["phases"]!.AsArray().Single(p => p!["phaseType"]!.GetValue<string>() == "QUEUED")!;
        Assert.Equal("STOPPED", queued["phaseStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stopping_a_running_build_marks_it_for_its_worker()
    {
        await CreateProjectAsync();
        var id = (await StartAsync())["id"]!.GetValue<string>();
        await Store.ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Time.GetUtcNow()), ClaimingProcess.Current.ToString(), Time.GetUtcNow(), CancellationToken.None);

        var stopping = (JsonObject)(await CallAsync("StopBuild", $$"""{"id":"{{id}}"}"""))["build"]!;

        Assert.Equal("IN_PROGRESS", stopping["buildStatus"]!.GetValue<string>());
        Assert.True((await Store.FindBuildAsync(id["app:".Length..], CancellationToken.None))!.StopRequested);
    }

    [Theory]
    [InlineData("StopBuild", """{"id":"app:00000000-0000-0000-0000-000000000000"}""", "ResourceNotFoundException")]
    [InlineData("StopBuild", """{"id":"no-colon"}""", "InvalidInputException")]
    [InlineData("RetryBuild", """{"id":"app:00000000-0000-0000-0000-000000000000"}""", "ResourceNotFoundException")]
    [InlineData("RetryBuild", "{}", "InvalidInputException")]
    [InlineData("ListBuilds", """{"nextToken":"garbage"}""", "InvalidInputException")]
    [InlineData("ListBuildsForProject", """{"projectName":"ghost"}""", "ResourceNotFoundException")]
    public async Task Build_operations_report_codebuilds_errors(string operation, string json, string code)
    {
        await CreateProjectAsync();

        var error = await FailsAsync(operation, json);

        Assert.Equal(code, error.Code);
    }

    [Fact]
    public async Task Retry_build_starts_a_new_build_with_the_same_settings_and_source_version()
    {
        await CreateProjectAsync();
        var first = await StartAsync("""{"projectName":"app","sourceVersion":"v1","imageOverride":"other"}""");

        var retried = (JsonObject)(await CallAsync("RetryBuild", $$"""{"id":"{{first["id"]}}"}"""))["build"]!;

        Assert.NotEqual(first["id"]!.GetValue<string>(), retried["id"]!.GetValue<string>());
        Assert.Equal(2, retried["buildNumber"]!.GetValue<long>());
        Assert.Equal("v1", retried["sourceVersion"]!.GetValue<string>());
        Assert.Equal("other", retried["environment"]!["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task Batch_get_builds_returns_found_builds_and_lists_the_missing()
    {
        await CreateProjectAsync();
        var id = (await StartAsync())["id"]!.GetValue<string>();
        const string Missing = "app:00000000-0000-0000-0000-000000000000";

        var result = await CallAsync("BatchGetBuilds", $$"""{"ids":["{{id}}","{{Missing}}"]}""");

        Assert.Equal(id, result["builds"]![0]!["id"]!.GetValue<string>());
        Assert.Equal([Missing], Strings(result["buildsNotFound"]));
    }

    [Fact]
    public async Task Builds_are_listed_newest_first_unless_ascending_and_per_project()
    {
        await CreateProjectAsync();
        await CreateProjectAsync("other");
        var a = (await StartAsync())["id"]!.GetValue<string>();
        var b = (await StartAsync("""{"projectName":"other"}"""))["id"]!.GetValue<string>();
        var c = (await StartAsync())["id"]!.GetValue<string>();

        var all = await CallAsync("ListBuilds", "{}");
        var ascending = await CallAsync("ListBuilds", """{"sortOrder":"ASCENDING"}""");
        var app = await CallAsync("ListBuildsForProject", """{"projectName":"app"}""");

        Assert.Equal([c, b, a], Strings(all["ids"]));
        Assert.Equal([a, b, c], Strings(ascending["ids"]));
        Assert.Equal([c, a], Strings(app["ids"]));
    }

    [Fact]
    public async Task Batch_delete_builds_deletes_finished_builds_only()
    {
        await CreateProjectAsync();
        var running = (await StartAsync())["id"]!.GetValue<string>();
        var stopped = (await StartAsync())["id"]!.GetValue<string>();
        await CallAsync("StopBuild", $$"""{"id":"{{stopped}}"}""");

        var result = await CallAsync("BatchDeleteBuilds", $$"""{"ids":["{{running}}","{{stopped}}"]}""");

        Assert.Equal([stopped], Strings(result["buildsDeleted"]));
        Assert.Equal(running, result["buildsNotDeleted"]![0]!["id"]!.GetValue<string>());
        Assert.Equal([running], Strings((await CallAsync("ListBuilds", "{}"))["ids"]));
    }
}
