using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.CodeBuild;

/// <summary>Every CodeBuild operation is authorized as its own action on the project's ARN (or * for account-wide lists).</summary>
public sealed class CodeBuildAuthorizationTests : CodeBuildFixture
{
    public static TheoryData<string, string, string> Operations() => new()
    {
        { "CreateProject", ProjectJson("fresh"), ProjectArn("fresh") },
        { "UpdateProject", """{"name":"app","description":"x"}""", ProjectArn("app") },
        { "DeleteProject", """{"name":"app"}""", ProjectArn("app") },
        { "BatchGetProjects", """{"names":["app"]}""", ProjectArn("app") },
        { "ListProjects", "{}", "*" },
        { "StartBuild", """{"projectName":"app"}""", ProjectArn("app") },
        { "BatchGetBuilds", """{"ids":["app:BUILD"]}""", ProjectArn("app") },
        { "StopBuild", """{"id":"app:BUILD"}""", ProjectArn("app") },
        { "RetryBuild", """{"id":"app:BUILD"}""", ProjectArn("app") },
        { "ListBuilds", "{}", "*" },
        { "ListBuildsForProject", """{"projectName":"app"}""", ProjectArn("app") },
        { "BatchDeleteBuilds", """{"ids":["app:BUILD"]}""", ProjectArn("app") },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Each_operation_asks_for_its_own_action_and_is_denied_without_it(string operation, string json, string resource)
    {
        await CreateProjectAsync();
        var build = (JsonObject)(await CallAsync("StartBuild", """{"projectName":"app"}"""))["build"]!;
        json = json.Replace("app:BUILD", build["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Authorizer.Calls.Clear();

        await CallAsync(operation, json);
        Authorizer.Denied.Add(("codebuild:" + operation, resource));
        var denied = await FailsAsync(operation, json);

        Assert.Contains(("codebuild:" + operation, resource), Authorizer.Calls);
        Assert.Equal("AccessDeniedException", denied.Code);
        Assert.Contains($"is not authorized to perform: codebuild:{operation} on resource: {resource}", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_operation_of_the_service_has_an_authorization_case()
    {
        var covered = Operations().Select(row => (string)row[0]).ToHashSet();
        string[] implemented =
        [
            "CreateProject", "UpdateProject", "DeleteProject", "BatchGetProjects", "ListProjects", "StartBuild", "BatchGetBuilds",
            "StopBuild", "RetryBuild", "ListBuilds", "ListBuildsForProject", "BatchDeleteBuilds",
        ];

        foreach (var operation in implemented)
        {
            Assert.Contains(operation, covered);
        }

        var unknown = await FailsAsync("CreateWebhook", "{}");
        Assert.Equal("UnknownOperationException", unknown.Code);
    }
}
