using System.Text.Json.Nodes;
using Cairn.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cairn.Dashboard.Tests.Browser;

/// <summary>The dashboard in a real browser (Debian's chromium through Playwright): few tests, each a whole story.</summary>
public sealed class BrowserTests(DashboardServer server) : IClassFixture<DashboardServer>, IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumFactAttribute.Chromium))
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.Chromium,
            Headless = true,
            Args = ["--no-sandbox"], // the tests may run as root, where chromium's own sandbox refuses to start
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A page signed in as root through the form, and the console errors it collects (a CSP violation lands there).</summary>
    private async Task<(IPage Page, List<string> Errors)> SignedInAsRootAsync()
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = server.Endpoint.ToString() });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        await page.GotoAsync("/signin");
        await page.GetByLabel("User name").FillAsync("root");
        await page.GetByLabel("Password").FillAsync(DashboardServer.RootSecret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        return (page, errors);
    }

    [ChromiumFact]
    public async Task Root_signs_in_starts_a_build_sees_it_succeed_approves_a_pipeline_and_signs_out()
    {
        const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
        await server.AwsAsync("iam", "create-role", "--role-name", "codebuild-service-role", "--assume-role-policy-document", Trust);
        var project = JsonNode.Parse(DashboardServer.ProjectDocument("browser-app", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo built by $STAGE\n"))!.AsObject();
        project["environment"]!["environmentVariables"]!.AsArray().RemoveAt(1); // no parameter to resolve
        await server.AwsAsync("codebuild", "create-project", "--cli-input-json", project.ToJsonString());
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = server.Endpoint.ToString() });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})"); // a Content-Security-Policy violation lands here
            }
        };

        await page.GotoAsync("/");
        Assert.EndsWith("/signin?return=%2F", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("User name").FillAsync("root");
        await page.GetByLabel("Password").FillAsync(DashboardServer.RootSecret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var row = page.Locator("table.projects tbody tr", new() { HasText = "browser-app" });
        await Assertions.Expect(row).ToContainTextAsync("never built");
        await row.GetByLabel("Source version").FillAsync("main");
        await row.GetByLabel("Environment overrides").FillAsync("STAGE=browser");
        await row.GetByRole(AriaRole.Button, new() { Name = "Start build" }).ClickAsync();

        Assert.Contains("/builds/browser-app%3A", page.Url, StringComparison.Ordinal);
        var status = page.Locator("#build-status");
        // No live updates yet: reload until the build has finished (bounded by the attempts, not by a clock).
        for (var attempt = 0; attempt < 240 && await status.TextContentAsync() == "IN_PROGRESS"; attempt++)
        {
            await page.WaitForTimeoutAsync(250);
            await page.ReloadAsync();
        }

        // The loop can end on the live status before the phases table is fetched again: read the finished build's own page.
        await page.ReloadAsync();
        var final = await status.TextContentAsync();
        Assert.True(final == "SUCCEEDED", $"the build ended {final}:\n{await page.Locator("table.phases").InnerTextAsync()}");
        await Assertions.Expect(page.Locator("table.phases")).ToContainTextAsync("BUILD");
        await Assertions.Expect(page.Locator("table.variables")).ToContainTextAsync("browser");

        // A pipeline waits for approval: approve it with a comment (the page's live module loaded, under the CSP).
        var pipeline = await PipelineSeeds.CreateAsync(server, "browser-pipeline");
        await PipelineSeeds.UntilApprovalWaitsAsync(server, "browser-pipeline", pipeline);
        await page.GetByRole(AriaRole.Link, new() { Name = "Pipelines" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "browser-pipeline" }).ClickAsync();
        await page.Locator("#stage-Approve").GetByLabel("Comment").FillAsync("looks good");
        // The form posts and is redirected back to this page: wait for the POST's answer, then load the page afresh with
        // GotoAsync, which supersedes the redirect's navigation if it is still in flight (a ReloadAsync issued while the
        // redirect replaced the document failed with "Not attached to an active page" in CI).
        var pipelineUrl = page.Url;
        await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/pipelines/browser-pipeline/approval", StringComparison.Ordinal));
        await PipelineSeeds.UntilAsync(server, "browser-pipeline", pipeline, e => e.Status == "Succeeded");
        await page.GotoAsync(pipelineUrl);
        await Assertions.Expect(page.Locator("#stage-Approve")).ToContainTextAsync("looks good");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        Assert.EndsWith("/signin", page.Url, StringComparison.Ordinal);
        await page.GotoAsync("/projects");
        Assert.Contains("/signin?return=", page.Url, StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task Root_watches_a_build_log_arrive_live_folds_a_phase_follows_a_line_link_and_searches()
    {
        const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
        await server.AwsAsync("iam", "create-role", "--role-name", "codebuild-log-role", "--assume-role-policy-document", Trust);
        const string Buildspec = """
            version: 0.2
            phases:
              install:
                commands:
                  - echo installing
              build:
                commands:
                  - for i in 1 2 3 4 5 6; do echo "step $i of the build"; sleep 0.7; done
                  - printf '\033[1;31mred alert\033[0m <script>alert(1)</script>\n'
            """;
        var project = JsonNode.Parse(DashboardServer.ProjectDocument("live-log", Buildspec))!.AsObject();
        project["environment"]!["environmentVariables"]!.AsArray().RemoveAt(1);
        project["serviceRole"] = $"arn:aws:iam::{DashboardServer.Account}:role/codebuild-log-role";
        await server.AwsAsync("codebuild", "create-project", "--cli-input-json", project.ToJsonString());
        var (page, errors) = await SignedInAsRootAsync();

        var id = (string)(await server.AwsAsync("codebuild", "start-build", "--project-name", "live-log"))!["build"]!["id"]!;
        await page.GotoAsync($"/builds/{Uri.EscapeDataString(id)}");
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;

        // Lines arrive while the build runs, without a reload: the first while it is in progress, then the later ones.
        var build = page.Locator("details.phase[data-phase=BUILD]");
        await Assertions.Expect(build.Locator(".line .x", new() { HasText = "step 1 of the build" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.Equal("IN_PROGRESS", await page.Locator("#build-status").TextContentAsync());
        await Assertions.Expect(build.Locator(".line", new() { HasText = "step 4 of the build" })).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#build-status")).ToHaveTextAsync("SUCCEEDED", new() { Timeout = 30_000 });
        // The phases table, rendered while the build was starting, follows too: every phase's row, the last one ended.
        var phaseRows = page.Locator("table.phases tbody tr");
        await Assertions.Expect(phaseRows.Filter(new() { HasText = "COMPLETED" })).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(phaseRows.Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = "BUILD", Exact = true }) }))
            .ToContainTextAsync("SUCCEEDED");
        Assert.Equal(0, navigations);
        await Assertions.Expect(page.Locator("label.follow")).ToBeHiddenAsync(); // nothing more to follow

        // Succeeded phases fold; open one, fold it, open it again.
        var stepTwo = build.Locator(".line", new() { HasText = "step 2 of the build" });
        await Assertions.Expect(stepTwo).ToBeHiddenAsync();
        var installing = page.Locator("details.phase[data-phase=INSTALL] .line").Filter(new() { Has = page.GetByText("installing", new() { Exact = true }) });
        await Assertions.Expect(installing).ToBeHiddenAsync();
        await build.Locator("summary").ClickAsync();
        await Assertions.Expect(stepTwo).ToBeVisibleAsync();
        await Assertions.Expect(build.Locator(".line .x span.b.f31")).ToHaveTextAsync("red alert");
        await Assertions.Expect(build.Locator(".line .x", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^red alert <script>alert\\(1\\)</script>$") })).ToBeVisibleAsync();
        await build.Locator("summary").ClickAsync();
        await Assertions.Expect(stepTwo).ToBeHiddenAsync();
        await build.Locator("summary").ClickAsync();
        await Assertions.Expect(stepTwo).ToBeVisibleAsync();

        // A line link, and a range: marked and shown, its folded section opened.
        var number = await stepTwo.GetAttributeAsync("id");
        await stepTwo.Locator("a.n").ClickAsync();
        Assert.EndsWith($"#{number}", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(stepTwo).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bhl\b"));
        var first = int.Parse((await installing.GetAttributeAsync("id"))![1..], System.Globalization.CultureInfo.InvariantCulture);
        await page.GotoAsync($"/builds/{Uri.EscapeDataString(id)}#L{first}-{first + 1}");
        await Assertions.Expect(installing).ToBeVisibleAsync();
        await Assertions.Expect(installing).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bhl\b"));
        await Assertions.Expect(page.Locator(".line.hl")).ToHaveCountAsync(2);

        // Search over the whole log on the server: count, next, previous (the command's own line matches first).
        await page.GetByLabel("Search the whole log").FillAsync("of the build");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        var result = page.Locator(".search-result");
        await Assertions.Expect(result).ToHaveTextAsync("1 of 7 matching lines");
        await Assertions.Expect(page.Locator(".line.match .x")).ToContainTextAsync("Running command for i in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(page.Locator(".line.match .x")).ToHaveTextAsync("step 1 of the build");
        await page.GetByRole(AriaRole.Button, new() { Name = "Previous" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Previous" }).ClickAsync();
        await Assertions.Expect(result).ToHaveTextAsync("7 of 7 matching lines");
        await Assertions.Expect(page.Locator(".line.match .x")).ToHaveTextAsync("step 6 of the build");

        // Timestamps hide and show.
        await Assertions.Expect(stepTwo.Locator("time.t")).ToBeVisibleAsync();
        await page.GetByLabel("Timestamps").UncheckAsync();
        await Assertions.Expect(stepTwo.Locator("time.t")).ToBeHiddenAsync();
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task Root_opens_the_secrets_report_from_Parameters_sees_a_finding_and_filters_by_its_kind()
    {
        await server.AwsAsync("ssm", "put-parameter", "--name", "browser_ci_token", "--type", "String", "--value", "ghp_0123456789abcdefghijABCDEFGHIJ0123456789");
        var (page, errors) = await SignedInAsRootAsync();

        await page.GotoAsync("/parameters");
        await page.GetByRole(AriaRole.Link, new() { Name = "Secrets report" }).ClickAsync();
        var finding = page.Locator("section.severity.error article.finding", new() { HasText = "browser_ci_token" });
        await Assertions.Expect(finding.Locator(".rule")).ToHaveTextAsync("plaintext-secret");
        await Assertions.Expect(finding.Locator("pre.fix")).ToContainTextAsync("--type SecureString --overwrite");
        await page.GetByLabel("Kind").SelectOptionAsync("plaintext-secret");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        Assert.Contains("kind=plaintext-secret", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("article.finding[data-rule=unreferenced-parameter]")).ToHaveCountAsync(0);
        await Assertions.Expect(finding).ToBeVisibleAsync();
        Assert.DoesNotContain("ghp_0123456789", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(errors);
    }
}
