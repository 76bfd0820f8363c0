using System.Net;
using System.Text.Json.Nodes;
using Cairn.Core.Builds;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Tests.Infrastructure;

namespace Cairn.Dashboard.Tests.Pages;

/// <summary>The build page's Retry form, the buildspec as run, the environment and the artifacts, as root, as users the policies limit, and with bad input.</summary>
public sealed class BuildDetailTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private static string IdOf(HttpResponseMessage redirect) =>
        Uri.UnescapeDataString(redirect.Headers.Location!.OriginalString["/builds/".Length..]);

    /// <summary>A project made through the aws CLI with its own role, whose builds really run on this server (a host shell).</summary>
    private async Task<string> RunnableProjectAsync(string name, Action<JsonObject>? change = null)
    {
        await server.AwsAsync("iam", "create-role", "--role-name", name, "--assume-role-policy-document", Trust);
        var project = JsonNode.Parse(DashboardServer.ProjectDocument(name))!.AsObject();
        project["environment"]!["environmentVariables"]!.AsArray().RemoveAt(1); // no parameter to resolve
        project["serviceRole"] = $"arn:aws:iam::{DashboardServer.Account}:role/{name}";
        change?.Invoke(project);
        await server.AwsAsync("codebuild", "create-project", "--cli-input-json", project.ToJsonString());
        return name;
    }

    /// <summary>Starts a build through the aws CLI and waits for it to end.</summary>
    private async Task<BuildRecord> RunAsync(params string[] startArguments)
    {
        var id = (string)(await server.AwsAsync(["codebuild", "start-build", .. startArguments]))!["build"]!["id"]!;
        var uuid = id.Split(':')[1];
        for (var waited = 0; waited < 600; waited++)
        {
            if (await server.Builds.GetBuildAsync(server.Scope, uuid, default) is { IsComplete: true } done)
            {
                return done;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"build {id} did not end within a minute");
    }

    [Fact]
    public async Task The_buildspec_as_run_is_kept_with_the_build_and_shown_numbered_with_its_lint_findings_linked_to_their_lines()
    {
        var name = await RunnableProjectAsync(Unique("spec"));
        const string Override = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo overridden\nartifact:\n  files: [out.txt]\n";

        var build = await RunAsync("--project-name", name, "--buildspec-override", Override);

        // Beside the build's other files, owner-only: the override's text, not the project's inline buildspec.
        var kept = Path.Combine(server.DataDirectory, "builds", build.Uuid, "buildspec.yml");
        Assert.Equal(Override, await File.ReadAllTextAsync(kept));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kept));
        using var client = await server.RootAsync();
        var (response, page) = await client.PageAsync(DashboardRoutes.Build(build.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = page.QuerySelectorAll(".spec .line").ToList();
        Assert.Equal(7, lines.Count);
        Assert.Equal("spec-L5", lines[4].Id);
        Assert.Equal("#spec-L5", lines[4].QuerySelector("a.n")!.GetAttribute("href"));
        Assert.Equal("      - echo overridden", lines[4].QuerySelector(".x")!.TextContent);
        Assert.DoesNotContain("echo hello", page.QuerySelector(".spec")!.TextContent, StringComparison.Ordinal);
        var finding = Assert.Single(page.QuerySelectorAll("ul.lint li"), li => li.QuerySelector(".code")!.TextContent == "BS101");
        Assert.Equal("#spec-L6", finding.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("artifact", finding.QuerySelector(".message")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("flagged", lines[5].ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_build_that_never_read_a_buildspec_says_so_and_a_denied_user_sees_none()
    {
        var name = Unique("nospec");
        await server.SeedProjectAsync(name);
        var build = await server.SeedBuildAsync(name, BuildStatuses.Failed);
        using var root = await server.RootAsync();

        var (_, page) = await root.PageAsync(DashboardRoutes.Build(build.Id));

        Assert.Null(page.QuerySelector(".spec"));
        Assert.Contains("Not recorded", page.QuerySelector("#buildspec + p.none")!.TextContent, StringComparison.Ordinal);

        var user = await server.UserAsync(Unique("blind"), """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codebuild:ListBuilds","Resource":"*"}]}""");
        using var client = await server.SessionForAsync(user);
        var (denied, deniedPage) = await client.PageAsync(DashboardRoutes.Build(build.Id));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Null(deniedPage.QuerySelector("#buildspec"));
    }

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

    [Fact]
    public async Task Variables_show_plaintext_values_and_only_the_names_parameters_and_secrets_are_read_from()
    {
        await server.AwsAsync("ssm", "put-parameter", "--name", "/vars/db-password", "--type", "SecureString", "--value", "ssm-secret-value-1");
        await server.AwsAsync("secretsmanager", "create-secret", "--name", "vars/api", "--secret-string", "sm-secret-value-2");
        var name = await RunnableProjectAsync(Unique("vars"), project => project["environment"]!["environmentVariables"] = new JsonArray
        {
            new JsonObject { ["name"] = "STAGE", ["value"] = "dev" },
            new JsonObject { ["name"] = "DB_PASSWORD", ["value"] = "/vars/db-password", ["type"] = "PARAMETER_STORE" },
            new JsonObject { ["name"] = "API_TOKEN", ["value"] = "vars/api", ["type"] = "SECRETS_MANAGER" },
        });
        await server.AwsAsync("iam", "put-role-policy", "--role-name", name, "--policy-name", "read", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameter*","secretsmanager:GetSecretValue","kms:Decrypt"],"Resource":"*"}]}""");
        const string Spec = "version: 0.2\nenv:\n  variables:\n    REGION_NAME: north\n  parameter-store:\n    SPEC_PASSWORD: /vars/db-password\n  secrets-manager:\n    SPEC_TOKEN: vars/api\nphases:\n  build:\n    commands:\n      - echo \"$DB_PASSWORD $API_TOKEN $SPEC_PASSWORD $SPEC_TOKEN\"\n";

        var build = await RunAsync("--project-name", name, "--buildspec-override", Spec);

        Assert.Equal(BuildStatuses.Succeeded, build.Status); // every reference was resolved, as the role
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Build(build.Id));
        var rows = page.QuerySelectorAll("table.variables tbody tr")
            .ToDictionary(r => r.QuerySelector("td")!.TextContent, r => r.QuerySelectorAll("td").Skip(1).Select(c => c.TextContent).ToList());
        Assert.Equal(["PLAINTEXT", "dev", "project or StartBuild"], rows["STAGE"]);
        Assert.Equal(["PARAMETER_STORE", "from /vars/db-password", "project or StartBuild"], rows["DB_PASSWORD"]);
        Assert.Equal(["SECRETS_MANAGER", "from vars/api", "project or StartBuild"], rows["API_TOKEN"]);
        Assert.Equal(["PLAINTEXT", "north", "buildspec line 4"], rows["REGION_NAME"]);
        Assert.Equal(["PARAMETER_STORE", "from /vars/db-password", "buildspec line 6"], rows["SPEC_PASSWORD"]);
        Assert.Equal(["SECRETS_MANAGER", "from vars/api", "buildspec line 8"], rows["SPEC_TOKEN"]);
        var html = page.DocumentElement.OuterHtml;
        Assert.DoesNotContain("ssm-secret-value-1", html, StringComparison.Ordinal);
        Assert.DoesNotContain("sm-secret-value-2", html, StringComparison.Ordinal);
        Assert.DoesNotContain("ssm-secret-value-1", await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "builds", build.Uuid, "buildspec.yml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Artifacts_are_listed_with_their_sizes_and_download_as_attachments()
    {
        var name = await RunnableProjectAsync(Unique("arts"), project => project["artifacts"] = new JsonObject { ["type"] = "S3", ["location"] = "bucket" });
        const string Spec = "version: 0.2\nphases:\n  build:\n    commands:\n      - mkdir -p out/sub && echo hello > out/a.txt && printf 12345 > out/sub/b.bin\nartifacts:\n  files:\n    - 'out/**/*'\n";

        var build = await RunAsync("--project-name", name, "--buildspec-override", Spec);

        Assert.Equal(BuildStatuses.Succeeded, build.Status);
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Build(build.Id));
        var rows = page.QuerySelectorAll("table.artifacts tbody tr").ToList();
        Assert.Equal(2, rows.Count);
        var a = rows.Single(r => r.QuerySelector("a")!.TextContent.EndsWith("out/a.txt", StringComparison.Ordinal));
        var b = rows.Single(r => r.QuerySelector("a")!.TextContent.EndsWith("out/sub/b.bin", StringComparison.Ordinal));
        Assert.Equal("6 B", a.QuerySelector("td.size")!.TextContent);
        Assert.Equal("5 B", b.QuerySelector("td.size")!.TextContent);
        var path = b.QuerySelector("a")!.TextContent;
        Assert.Equal(DashboardRoutes.BuildArtifact(build.Id, path), b.QuerySelector("a")!.GetAttribute("href"));

        var download = await client.GetAsync(DashboardRoutes.BuildArtifact(build.Id, path));

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("b.bin", download.Content.Headers.ContentDisposition.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("12345", await download.Content.ReadAsStringAsync());

        // A link the build left among its artifacts is not followed, even to a file of the build's own directory.
        var artifacts = Path.Combine(server.DataDirectory, "builds", build.Uuid, "artifacts");
        File.CreateSymbolicLink(Path.Combine(artifacts, "link.yml"), Path.Combine(server.DataDirectory, "builds", build.Uuid, "buildspec.yml"));
        var (linked, _) = await client.PageAsync(DashboardRoutes.BuildArtifact(build.Id, "link.yml"));
        Assert.Equal(HttpStatusCode.NotFound, linked.StatusCode);
        var (_, again) = await client.PageAsync(DashboardRoutes.Build(build.Id));
        Assert.Equal(2, again.QuerySelectorAll("table.artifacts tbody tr").Length);

        // A user who may not read the build gets the denial and its statement, not the file.
        var user = await server.UserAsync(Unique("outsider"), """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codebuild:ListBuilds","Resource":"*"}]}""");
        using var outsider = await server.SessionForAsync(user);
        var (denied, deniedPage) = await outsider.PageAsync(DashboardRoutes.BuildArtifact(build.Id, path));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains($"codebuild:BatchGetBuilds on resource: {server.Scope.ProjectArn(name)}", deniedPage.QuerySelector(".problem .message")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("\"Action\": \"codebuild:BatchGetBuilds\"", deniedPage.QuerySelector("pre.statement")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_builds_junit_report_is_a_pass_fail_table_failed_first_with_messages_filtered_by_status_and_denied_without_BatchGetReports()
    {
        var name = await RunnableProjectAsync(Unique("tests"));
        await server.AwsAsync("iam", "put-role-policy", "--role-name", name, "--policy-name", "reports", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codebuild:CreateReportGroup","codebuild:CreateReport","codebuild:UpdateReport","codebuild:BatchPutTestCases"],"Resource":"*"}]}""");
        const string JUnit = "<testsuite name='calc'><testcase classname='Calc' name='adds' time='0.5'/>"
            + "<testcase classname='Calc' name='divides' time='1'><failure message='expected 2 but was 3'>at Calc.java:12</failure></testcase>"
            + "<testcase classname='Calc' name='later'><skipped/></testcase></testsuite>";
        var spec = "version: 0.2\nphases:\n  build:\n    commands:\n      - mkdir -p out && echo \"" + JUnit + "\" > out/junit.xml\n"
            + "reports:\n  unit:\n    files:\n      - 'out/*.xml'\n";

        var build = await RunAsync("--project-name", name, "--buildspec-override", spec);

        Assert.Equal(BuildStatuses.Succeeded, build.Status);
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Build(build.Id));
        var report = page.QuerySelector("section.report")!;
        Assert.Contains($"{name}-unit", report.QuerySelector("h3")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("FAILED", report.QuerySelector("h3 .status")!.TextContent);
        Assert.Contains("3 tests", report.QuerySelector(".report-counts")!.TextContent, StringComparison.Ordinal);
        var rows = report.QuerySelectorAll("table.test-cases tbody tr").ToList();
        Assert.Equal(["FAILED", "SKIPPED", "SUCCEEDED"], rows.Select(r => r.QuerySelector("td .status")!.TextContent));
        Assert.Equal("divides", rows[0].QuerySelector(".name")!.TextContent);
        Assert.Contains("expected 2 but was 3", rows[0].QuerySelector("pre.test-message")!.TextContent, StringComparison.Ordinal);

        var (_, passedOnly) = await client.PageAsync(DashboardRoutes.Build(build.Id) + "?tests=SUCCEEDED");
        Assert.Equal(["adds"], passedOnly.QuerySelectorAll("table.test-cases tbody tr .name").Select(n => n.TextContent));

        // A user who may read the build but not its report group sees the denial and its statement, not the test cases.
        var user = await server.UserAsync(Unique("noreport"),
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codebuild:BatchGetBuilds","logs:GetLogEvents"],"Resource":"*"}]}""");
        using var reader = await server.SessionForAsync(user);
        var (response, deniedPage) = await reader.PageAsync(DashboardRoutes.Build(build.Id));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(deniedPage.QuerySelector("table.test-cases"));
        var problem = deniedPage.QuerySelector("#reports ~ .problem .message")!.TextContent;
        Assert.Contains($"codebuild:BatchGetReports on resource: arn:aws:codebuild:{server.Scope.Region}:{DashboardServer.Account}:report-group/{name}-unit", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Give the artifact's path")]
    [InlineData("?path=", "Give the artifact's path")]
    [InlineData("?path=..%2Fbuildspec.yml", "Invalid artifact path: ../buildspec.yml")]
    [InlineData("?path=out%2F..%2F..%2Fbuildspec.yml", "Invalid artifact path: out/../../buildspec.yml")]
    [InlineData("?path=%2Fetc%2Fpasswd", "Invalid artifact path: /etc/passwd")]
    [InlineData("?path=out%5C..%5Cx", "Invalid artifact path: out\\..\\x")]
    [InlineData("?path=out%2F%2Fx", "Invalid artifact path: out//x")]
    public async Task An_artifact_path_that_could_leave_the_artifacts_is_a_400_that_says_what_to_give(string query, string expected)
    {
        var name = Unique("trav");
        await server.SeedProjectAsync(name);
        var build = await server.SeedBuildAsync(name);

        await ProblemAssert.BadRequestAsync(server, $"/builds/{Uri.EscapeDataString(build.Id)}/artifacts{query}", "InvalidInputException", expected);
    }

    [Fact]
    public async Task An_artifact_that_is_not_there_is_a_404()
    {
        var name = Unique("gone");
        await server.SeedProjectAsync(name);
        var build = await server.SeedBuildAsync(name);
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(DashboardRoutes.BuildArtifact(build.Id, "out/none.txt"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith($"Artifact cannot be found: out/none.txt in build {build.Id}", page.QuerySelector(".problem .message")!.TextContent, StringComparison.Ordinal);
    }
}
