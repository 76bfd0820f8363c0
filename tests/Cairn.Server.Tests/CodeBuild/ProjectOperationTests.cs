using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.CodeBuild;

public sealed class ProjectOperationTests : CodeBuildFixture
{
    [Fact]
    public async Task Create_project_returns_the_project_with_its_arn_and_codebuilds_defaults()
    {
        var project = await CreateProjectAsync();

        Assert.Equal("app", project["name"]!.GetValue<string>());
        Assert.Equal(ProjectArn("app"), project["arn"]!.GetValue<string>());
        Assert.Equal(60, project["timeoutInMinutes"]!.GetValue<int>());
        Assert.Equal(480, project["queuedTimeoutInMinutes"]!.GetValue<int>());
        Assert.False(project["environment"]!["privilegedMode"]!.GetValue<bool>());
        Assert.Equal("PLAINTEXT", project["environment"]!["environmentVariables"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), project["created"]!.GetValue<double>());
        Assert.Contains(("codebuild:CreateProject", ProjectArn("app")), Authorizer.Calls);
    }

    [Fact]
    public async Task Creating_a_project_that_exists_is_ResourceAlreadyExistsException_naming_its_arn()
    {
        await CreateProjectAsync();

        var error = await FailsAsync("CreateProject", ProjectJson());

        Assert.Equal("ResourceAlreadyExistsException", error.Code);
        Assert.Equal($"Project already exists: {ProjectArn("app")}", error.Message);
    }

    [Fact]
    public async Task Create_project_without_an_environment_is_a_ValidationException()
    {
        var error = await FailsAsync("CreateProject", $$"""{"name":"app","source":{"type":"NO_SOURCE","buildspec":"x"},"artifacts":{"type":"NO_ARTIFACTS"},"serviceRole":"{{Role}}"}""");

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains("Value null at 'environment' failed to satisfy constraint: Member must not be null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_project_name_with_a_space_breaks_the_models_pattern()
    {
        var error = await FailsAsync("CreateProject", ProjectJson("my app"));

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains("at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"NO_SOURCE"}""", "", "NO_SOURCE")]
    [InlineData("""{"type":"GITHUB"}""", "", "Source location is required")]
    [InlineData("""{"type":"NO_SOURCE","buildspec":"version: 0.2"}""", ""","serviceRole":"arn:aws:iam::111122223333:role/other" """, "Invalid service role")]
    public async Task Create_project_checks_what_the_shapes_cannot(string source, string extra, string expected)
    {
        var json = ProjectJson(source: source);
        if (extra.Length > 0)
        {
            json = json.Replace($"\"serviceRole\":\"{Role}\"", extra.TrimStart(',').Trim(), StringComparison.Ordinal);
        }

        var error = await FailsAsync("CreateProject", json);

        Assert.Equal("InvalidInputException", error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Variables_named_CODEBUILD_are_reserved()
    {
        var json = ProjectJson().Replace("\"name\":\"STAGE\"", "\"name\":\"CODEBUILD_X\"", StringComparison.Ordinal);

        var error = await FailsAsync("CreateProject", json);

        Assert.Equal("InvalidInputException", error.Code);
        Assert.Contains("CODEBUILD_X", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_project_replaces_the_members_given_and_keeps_the_rest()
    {
        await CreateProjectAsync();
        Time.Advance(TimeSpan.FromMinutes(1));

        var updated = (JsonObject)(await CallAsync("UpdateProject", """{"name":"app","timeoutInMinutes":15,"description":"nightly"}"""))["project"]!;

        Assert.Equal(15, updated["timeoutInMinutes"]!.GetValue<int>());
        Assert.Equal("nightly", updated["description"]!.GetValue<string>());
        Assert.Equal("file:///tmp/repo", updated["source"]!["location"]!.GetValue<string>());
        Assert.True(updated["lastModified"]!.GetValue<double>() > updated["created"]!.GetValue<double>());
    }

    [Fact]
    public async Task Updating_a_missing_project_is_ResourceNotFoundException()
    {
        var error = await FailsAsync("UpdateProject", """{"name":"nope","timeoutInMinutes":15}""");

        Assert.Equal("ResourceNotFoundException", error.Code);
        Assert.Equal($"Project cannot be found: {ProjectArn("nope")}", error.Message);
    }

    [Fact]
    public async Task Batch_get_projects_finds_by_name_or_arn_and_lists_the_missing()
    {
        await CreateProjectAsync();

        var result = await CallAsync("BatchGetProjects", $$"""{"names":["app","{{ProjectArn("app")}}","ghost"]}""");

        Assert.Equal(2, result["projects"]!.AsArray().Count);
        Assert.Equal(["ghost"], Strings(result["projectsNotFound"]));
    }

    [Fact]
    public async Task A_deleted_project_is_not_found_and_deleting_it_again_succeeds()
    {
        await CreateProjectAsync();

        await CallAsync("DeleteProject", """{"name":"app"}""");
        await CallAsync("DeleteProject", """{"name":"app"}""");
        var result = await CallAsync("BatchGetProjects", """{"names":["app"]}""");

        Assert.Empty(result["projects"]!.AsArray());
    }

    [Fact]
    public async Task List_projects_sorts_by_name_or_time_in_either_order()
    {
        await CreateProjectAsync("bravo");
        Time.Advance(TimeSpan.FromSeconds(1));
        await CreateProjectAsync("alpha");

        var byName = await CallAsync("ListProjects", "{}");
        var byCreatedDescending = await CallAsync("ListProjects", """{"sortBy":"CREATED_TIME","sortOrder":"DESCENDING"}""");
        var byCreated = await CallAsync("ListProjects", """{"sortBy":"CREATED_TIME"}""");

        Assert.Equal(["alpha", "bravo"], Strings(byName["projects"]));
        Assert.Equal(["alpha", "bravo"], Strings(byCreatedDescending["projects"]));
        Assert.Equal(["bravo", "alpha"], Strings(byCreated["projects"]));
        Assert.Null(byName["nextToken"]);
    }

    [Fact]
    public async Task Unmodelled_members_are_kept_and_returned()
    {
        var project = await CreateProjectAsync(extra: ""","vpcConfig":{"vpcId":"vpc-1"},"logsConfig":{"cloudWatchLogs":{"status":"ENABLED"}}""");

        Assert.Equal("vpc-1", project["vpcConfig"]!["vpcId"]!.GetValue<string>());
        Assert.Equal("ENABLED", project["logsConfig"]!["cloudWatchLogs"]!["status"]!.GetValue<string>());
    }
}
