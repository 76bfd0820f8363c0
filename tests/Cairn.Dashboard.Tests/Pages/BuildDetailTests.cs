using System.Net;
using Cairn.Core.Builds;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Tests.Infrastructure;

namespace Cairn.Dashboard.Tests.Pages;

/// <summary>The build page's Retry form, the buildspec as run, the environment and the artifacts, as root, as users the policies limit, and with bad input.</summary>
public sealed class BuildDetailTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static string IdOf(HttpResponseMessage redirect) =>
        Uri.UnescapeDataString(redirect.Headers.Location!.OriginalString["/builds/".Length..]);

    [Fact]
    public async Task Retry_posts_then_redirects_to_a_new_build_of_the_same_settings_started_by_the_user()
    {
        var name = Unique("retry");
        await server.SeedProjectAsync(name);
        var failed = await server.SeedBuildAsync(name, BuildStatuses.Failed);
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Build(failed.Id));
        Assert.Null(page.QuerySelector("button.stop"));

        var response = await client.SubmitAsync(page, DashboardRoutes.RetryBuild(failed.Id));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var id = IdOf(response);
        Assert.NotEqual(failed.Id, id);
        var retried = await server.Builds.GetBuildAsync(server.Scope, id.Split(':')[1], default);
        Assert.NotNull(retried);
        Assert.Equal(name, retried.ProjectName);
        Assert.Equal(failed.SourceVersion, retried.SourceVersion);
        Assert.Equal("root", retried.Initiator);
        Assert.Equal(failed.BuildNumber + 1, retried.BuildNumber);
        Assert.Equal(
            failed.Settings.Environment.Variables.Select(v => (v.Name, v.Value, v.Type)),
            retried.Settings.Environment.Variables.Select(v => (v.Name, v.Value, v.Type)));
    }

    [Fact]
    public async Task A_user_without_RetryBuild_is_denied_with_the_statement_and_no_build_is_started()
    {
        var name = Unique("noretry");
        await server.SeedProjectAsync(name);
        var build = await server.SeedBuildAsync(name, BuildStatuses.Failed);
        var user = await server.UserAsync(Unique("reader"), """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codebuild:List*","codebuild:BatchGet*"],"Resource":"*"}]}""");
        using var client = await server.SessionForAsync(user);
        var (_, page) = await client.PageAsync(DashboardRoutes.Build(build.Id));

        var response = await client.SubmitAsync(page, DashboardRoutes.RetryBuild(build.Id));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = DashboardServer.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".problem")!;
        Assert.Equal(
            $"User: {user.Arn} is not authorized to perform: codebuild:RetryBuild on resource: {server.Scope.ProjectArn(name)} because no identity-based policy allows the codebuild:RetryBuild action",
            problem.QuerySelector(".message")!.TextContent);
        Assert.Contains("\"Action\": \"codebuild:RetryBuild\"", problem.QuerySelector("pre.statement")!.TextContent, StringComparison.Ordinal);
        var builds = await server.Builds.ListBuildsAsync(server.Scope, new Cairn.Storage.Builds.BuildListQuery(name, null, null, 5), default);
        Assert.Equal(build.Id, Assert.Single(builds.Builds).Id);
    }

    [Theory]
    [InlineData("no-colon-here", HttpStatusCode.BadRequest, "Invalid build ID provided: no-colon-here")]
    [InlineData("no-such-project:6a1f3c52-1111-4222-8333-944455556666", HttpStatusCode.NotFound, "no-such-project:6a1f3c52-1111-4222-8333-944455556666")]
    public async Task Retrying_a_malformed_or_missing_build_says_which(string id, HttpStatusCode status, string expected)
    {
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync("/projects");
        var token = page.QuerySelector("input[name=__csrf]")!.GetAttribute("value")!;

        var response = await client.PostAsync(DashboardRoutes.RetryBuild(id), [new("__csrf", token)]);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(expected, DashboardServer.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".problem")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_without_the_antiforgery_token_is_refused_and_starts_nothing()
    {
        var name = Unique("forged");
        await server.SeedProjectAsync(name);
        var build = await server.SeedBuildAsync(name, BuildStatuses.Failed);
        using var client = await server.RootAsync();

        var response = await client.PostAsync(DashboardRoutes.RetryBuild(build.Id), []);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var builds = await server.Builds.ListBuildsAsync(server.Scope, new Cairn.Storage.Builds.BuildListQuery(name, null, null, 5), default);
        Assert.Single(builds.Builds);
    }
}
