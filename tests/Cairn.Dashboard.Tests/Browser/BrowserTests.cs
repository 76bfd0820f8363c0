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
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await PipelineSeeds.UntilAsync(server, "browser-pipeline", pipeline, e => e.Status == "Succeeded");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#stage-Approve")).ToContainTextAsync("looks good");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        Assert.EndsWith("/signin", page.Url, StringComparison.Ordinal);
        await page.GotoAsync("/projects");
        Assert.Contains("/signin?return=", page.Url, StringComparison.Ordinal);
        Assert.Empty(errors);
    }
}
