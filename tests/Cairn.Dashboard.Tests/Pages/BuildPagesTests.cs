using System.Net;
using Cairn.Core.Audit;
using Cairn.Core.Builds;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Dashboard.Tests.Pages;

/// <summary>The projects, build history and build detail pages, as root and as users the policies limit.</summary>
public sealed class BuildPagesTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task Projects_show_the_last_build_its_duration_and_the_source()
    {
        var name = Unique("shown");
        await server.SeedProjectAsync(name);
        await server.SeedBuildAsync(name, BuildStatuses.Failed);
        var last = await server.SeedBuildAsync(name, BuildStatuses.Succeeded);
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync("/projects");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = page.QuerySelectorAll("table.projects tbody tr").Single(r => r.QuerySelector("td a")!.TextContent == name);
        var cells = row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.StartsWith("SUCCEEDED", cells[1], StringComparison.Ordinal);
        Assert.Contains($"#{last.BuildNumber}", cells[1], StringComparison.Ordinal);
        Assert.Equal("1m 15s", cells[2]);
        Assert.StartsWith("NO_SOURCE", cells[3], StringComparison.Ordinal);
        Assert.Equal(DashboardRoutes.Build(last.Id), row.QuerySelector("td:nth-child(2) a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Start_build_posts_then_redirects_to_the_new_build_with_the_overrides_applied()
    {
        var name = Unique("start");
        await server.SeedProjectAsync(name);
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync("/projects");

        var response = await client.SubmitAsync(page, DashboardRoutes.StartBuild(name), ("SourceVersion", "release-1"), ("Environment", "STAGE=prod\r\nEXTRA=a=b"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var id = Uri.UnescapeDataString(response.Headers.Location!.OriginalString["/builds/".Length..]);
        var build = (await server.Builds.ListBuildsAsync(server.Scope, new Cairn.Storage.Builds.BuildListQuery(name, null, null, 5), default)).Builds.Single();
        Assert.Equal(build.Id, id);
        Assert.Equal("release-1", build.SourceVersion);
        Assert.Equal("root", build.Initiator);
        var variables = build.Settings.Environment.Variables.ToDictionary(v => v.Name, v => v.Value);
        Assert.Equal("prod", variables["STAGE"]);
        Assert.Equal("a=b", variables["EXTRA"]);
        Assert.Equal("/app/db-password", variables["DB_PASSWORD"]);
    }

    [Theory]
    [InlineData("1BAD=x", "Invalid environment variable override: '1BAD=x'")]
    [InlineData("NO_EQUALS_SIGN", "Invalid environment variable override: 'NO_EQUALS_SIGN'")]
    public async Task A_bad_environment_override_is_a_400_with_what_to_write_instead(string line, string expected)
    {
        var name = Unique("badenv");
        await server.SeedProjectAsync(name);
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync("/projects");

        var response = await client.SubmitAsync(page, DashboardRoutes.StartBuild(name), ("Environment", line));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = DashboardServer.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".problem")!;
        Assert.Equal("InvalidInputException", problem.QuerySelector("h2")!.TextContent);
        Assert.Contains(expected, problem.TextContent, StringComparison.Ordinal);
        Assert.Contains("one NAME=value per line", problem.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_a_build_of_a_project_that_does_not_exist_is_a_404()
    {
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync("/projects");
        var token = page.QuerySelector("input[name=__csrf]")!.GetAttribute("value")!;

        var response = await client.PostAsync(DashboardRoutes.StartBuild("no-such-project"), [new("__csrf", token)]);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Project cannot be found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_history_pages_by_key_newest_first_without_gaps_or_repeats_and_filters_by_status()
    {
        var name = Unique("paged");
        await server.SeedProjectAsync(name);
        var seeded = new List<BuildRecord>();
        for (var i = 0; i < 120; i++)
        {
            seeded.Add(await server.SeedBuildAsync(name, i % 4 == 0 ? BuildStatuses.Failed : BuildStatuses.Succeeded));
        }

        using var client = await server.RootAsync();
        var seen = new List<string>();
        var next = DashboardRoutes.ProjectBuilds(name);
        while (next is not null)
        {
            var (response, page) = await client.PageAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var rows = page.QuerySelectorAll("table.builds tbody tr").ToList();
            Assert.InRange(rows.Count, 1, 50);
            seen.AddRange(rows.Select(r => r.QuerySelector("td:nth-child(2)")!.TextContent));
            next = page.QuerySelector("a[rel=next]")?.GetAttribute("href");
        }

        Assert.Equal(seeded.Select(b => $"#{b.BuildNumber}").Reverse(), seen);

        var (_, failed) = await client.PageAsync(DashboardRoutes.ProjectBuilds(name) + "?status=FAILED");
        var statuses = failed.QuerySelectorAll("table.builds tbody tr td:first-child").Select(c => c.TextContent).ToList();
        Assert.Equal(30, statuses.Count);
        Assert.All(statuses, s => Assert.Equal("FAILED", s));
    }

    [Theory]
    [InlineData("/builds?status=DONE", "Unknown build status filter: DONE")]
    [InlineData("/builds?before=-3", "Invalid page position: -3")]
    [InlineData("/builds?before=abc", "Invalid page position: abc")]
    public async Task A_bad_filter_is_a_400_that_says_what_is_allowed(string path, string expected)
    {
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, page.QuerySelector(".problem")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_history_of_a_project_that_does_not_exist_is_a_404()
    {
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(DashboardRoutes.ProjectBuilds("no-such-project"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ResourceNotFoundException", page.QuerySelector(".problem h2")!.TextContent);
    }

    [Fact]
    public async Task Build_detail_shows_the_phases_and_parameter_store_variables_by_name_only()
    {
        var name = Unique("detail");
        await server.SeedProjectAsync(name);
        var build = await server.SeedBuildAsync(name, BuildStatuses.Succeeded);
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(DashboardRoutes.Build(build.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("SUCCEEDED", page.QuerySelector("#build-status")!.TextContent);
        Assert.NotEmpty(page.QuerySelectorAll("table.phases tbody tr"));
        var variables = page.QuerySelectorAll("table.variables tbody tr")
            .ToDictionary(r => r.QuerySelector("td")!.TextContent, r => r.QuerySelector("td:nth-child(3)")!.TextContent);
        Assert.Equal("dev", variables["STAGE"]);
        Assert.Equal("from /app/db-password", variables["DB_PASSWORD"]);
        Assert.Null(page.QuerySelector("button.stop")); // a finished build has nothing to stop
    }

    [Fact]
    public async Task Another_accounts_build_is_not_found_and_nothing_of_it_is_shown()
    {
        var other = new BuildScope("111111111111", DashboardServer.Region);
        var name = Unique("theirs");
        await server.SeedProjectAsync(name, other);
        var theirs = await server.SeedBuildAsync(name, BuildStatuses.Succeeded, other);
        using var client = await server.RootAsync();

        foreach (var id in new[] { theirs.Id, theirs.Arn })
        {
            var (response, page) = await client.PageAsync(DashboardRoutes.Build(id));

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("ResourceNotFoundException", page.QuerySelector(".problem h2")!.TextContent);
            Assert.Null(page.QuerySelector("table.variables"));
            Assert.DoesNotContain("/app/db-password", page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        }

        var (_, history) = await client.PageAsync("/builds");
        Assert.DoesNotContain(name, history.DocumentElement.OuterHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_build_id_is_a_400()
    {
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync("/builds/no-colon-here");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Invalid build ID provided: no-colon-here", page.QuerySelector(".problem")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_without_BatchGetBuilds_sees_AccessDenied_and_the_statement_that_grants_it_not_the_build()
    {
        var name = Unique("guarded");
        await server.SeedProjectAsync(name);
        var build = await server.SeedBuildAsync(name, BuildStatuses.Succeeded);
        var user = await server.UserAsync(Unique("lister"), """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codebuild:ListProjects","codebuild:ListBuilds"],"Resource":"*"}]}""");
        using var client = await server.SessionForAsync(user);

        var (response, page) = await client.PageAsync(DashboardRoutes.Build(build.Id));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = page.QuerySelector(".problem")!;
        Assert.Equal("AccessDeniedException", problem.QuerySelector("h2")!.TextContent);
        var projectArn = server.Scope.ProjectArn(name);
        Assert.Equal(
            $"User: {user.Arn} is not authorized to perform: codebuild:BatchGetBuilds on resource: {projectArn} because no identity-based policy allows the codebuild:BatchGetBuilds action",
            problem.QuerySelector(".message")!.TextContent);
        Assert.Equal(
            $"{{\n  \"Effect\": \"Allow\",\n  \"Action\": \"codebuild:BatchGetBuilds\",\n  \"Resource\": \"{projectArn}\"\n}}",
            problem.QuerySelector("pre.statement")!.TextContent);
        Assert.StartsWith($"aws iam put-user-policy --user-name {user.Name} --policy-name cairn-console-", problem.QuerySelector("pre.command")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("table.variables"));
        Assert.DoesNotContain("/app/db-password", page.DocumentElement.OuterHtml, StringComparison.Ordinal);

        // The denial is in the audit log beside the API's, as the page's operation.
        var audit = server.Server.Services.GetRequiredService<IAuditLog>();
        await audit.FlushAsync(default);
        var entry = Assert.Single(await audit.QueryAsync(new AuditQuery(PrincipalContains: user.Arn, ActionPrefix: "codebuild:BatchGetBuilds"), default));
        Assert.Equal("Deny", entry.Decision);
        Assert.Equal(projectArn, entry.Resource);
        Assert.Equal($"console:GET /builds/{build.Id}", entry.Operation);
        Assert.Equal("AccessDeniedException", entry.ErrorCode);

        // The history lists no build of that project either, and says why.
        var (_, history) = await client.PageAsync("/builds");
        Assert.DoesNotContain(history.QuerySelectorAll("table.builds tbody tr td:nth-child(3)"), cell => cell.TextContent == name);
        Assert.Contains(history.QuerySelectorAll(".problem .message"), m => m.TextContent.Contains($"codebuild:BatchGetBuilds on resource: {projectArn}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_user_without_ListProjects_sees_the_denial_with_its_fix_on_the_projects_page()
    {
        var user = await server.UserAsync(Unique("nobody"), null);
        using var client = await server.SessionForAsync(user);

        var (response, page) = await client.PageAsync("/projects");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("codebuild:ListProjects on resource: *", page.QuerySelector(".problem .message")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("\"Action\": \"codebuild:ListProjects\"", page.QuerySelector("pre.statement")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_without_StopBuild_is_denied_with_the_fix_and_the_build_runs_on()
    {
        var name = Unique("stopper");
        await server.SeedProjectAsync(name);
        var build = await server.SeedBuildAsync(name, BuildStatuses.Succeeded);
        var user = await server.UserAsync(Unique("reader"), """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codebuild:List*","codebuild:BatchGet*"],"Resource":"*"}]}""");
        using var client = await server.SessionForAsync(user);
        var (_, page) = await client.PageAsync("/projects");
        var token = page.QuerySelector("input[name=__csrf]")!.GetAttribute("value")!;

        var response = await client.PostAsync(DashboardRoutes.StopBuild(build.Id), [new("__csrf", token)]);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = DashboardServer.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".problem")!;
        Assert.Contains("codebuild:StopBuild", problem.QuerySelector("pre.statement")!.TextContent, StringComparison.Ordinal);
    }
}
