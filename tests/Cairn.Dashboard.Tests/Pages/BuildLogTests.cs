using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Core.Audit;
using Cairn.Core.Builds;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Tests.Infrastructure;
using Cairn.Storage.BuildLogs;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Dashboard.Tests.Pages;

/// <summary>The build page's log and its endpoints (stream, earlier lines, search, raw), without a browser.</summary>
public sealed class BuildLogTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private const string LogReader = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codebuild:BatchGetBuilds"],"Resource":"*"}]}""";

    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddMinutes(-10);

    private IBuildLogStore Logs => server.Server.Services.GetRequiredService<IBuildLogStore>();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>
    /// A build that ran INSTALL (succeeded, <paramref name="install"/> lines) then BUILD (<paramref name="build"/> lines,
    /// FAILED), its log written at the phases' times; complete, or still in BUILD with its log writer returned open.
    /// </summary>
    private async Task<(BuildRecord Build, IBuildLogWriter? Writer)> SeedAsync(string[] install, string[] build, bool complete = true)
    {
        var name = Unique("logged");
        await server.SeedProjectAsync(name);
        var settings = (await server.Builds.GetProjectAsync(server.Scope, name, default))!.Settings;
        var record = BuildRecord.Submit(server.Scope, name, Guid.NewGuid().ToString("D"), settings, "main", "ci", null, null, T0)
            .BeginPhase(BuildPhaseTypes.Install, T0.AddSeconds(1), firstLogLine: 0)
            .BeginPhase(BuildPhaseTypes.Build, T0.AddSeconds(2), firstLogLine: install.Length);
        if (complete)
        {
            record = record.Complete(BuildStatuses.Failed, T0.AddSeconds(3));
        }

        // A runner on another host that was seen just now: no sweep takes this running build for an orphan.
        record = await server.Builds.AddClaimedBuildAsync(record, "elsewhere/1/1", DateTimeOffset.UtcNow, default);
        var writer = Logs.OpenWriter(record.Uuid);
        for (var i = 0; i < install.Length; i++)
        {
            writer.Append(install[i], T0.AddSeconds(1).AddMilliseconds(i % 900));
        }

        for (var i = 0; i < build.Length; i++)
        {
            writer.Append(build[i], T0.AddSeconds(2).AddMilliseconds(i % 900));
        }

        if (!complete)
        {
            return (record, writer);
        }

        await writer.DisposeAsync();
        return (record, null);
    }

    private static string[] Numbered(string prefix, int count) => [.. Enumerable.Range(1, count).Select(i => $"{prefix} {i}")];

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Fact]
    public async Task The_page_shows_the_log_in_phase_sections_escaped_with_ansi_colours_as_classes_and_masks_kept()
    {
        var (build, _) = await SeedAsync(
            ["Entering phase INSTALL", "installed"],
            ["Entering phase BUILD", "<script>alert('x')</script> & more", "\u001b[1;31mred bold\u001b[0m then \u001b[92mbright green\u001b[39m plain", "password is ***", "\u001b[38;5;31mcolour 256\u001b[0m"]);
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(DashboardRoutes.Build(build.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var install = page.QuerySelector("details.phase[data-phase=INSTALL]")!;
        var failed = page.QuerySelector("details.phase[data-phase=BUILD]")!;
        Assert.False(install.HasAttribute("open")); // succeeded: folded
        Assert.True(failed.HasAttribute("open")); // failed: open
        Assert.Contains("SUCCEEDED", install.QuerySelector("summary")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("1s", install.QuerySelector("summary .duration")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["Entering phase INSTALL", "installed"], install.QuerySelectorAll(".line .x").Select(x => x.TextContent));
        Assert.Equal(5, failed.QuerySelectorAll(".line").Length);

        var script = page.GetElementById("L4")!;
        Assert.Equal("<script>alert('x')</script> & more", script.QuerySelector(".x")!.TextContent);
        Assert.Empty(page.QuerySelectorAll(".log-body script"));
        Assert.Contains("&lt;script&gt;", script.QuerySelector(".x")!.InnerHtml, StringComparison.Ordinal);
        Assert.Equal("#L4", script.QuerySelector("a.n")!.GetAttribute("href"));
        Assert.NotNull(script.QuerySelector("time.t[datetime]"));

        var coloured = page.GetElementById("L5")!.QuerySelector(".x")!;
        Assert.Equal("red bold", coloured.QuerySelector("span.b.f31")!.TextContent);
        Assert.Equal("bright green", coloured.QuerySelector("span.f92")!.TextContent);
        Assert.Equal("red bold then bright green plain", coloured.TextContent);
        Assert.Equal("colour 256", page.GetElementById("L7")!.QuerySelector(".x")!.TextContent);
        Assert.Null(page.GetElementById("L7")!.QuerySelector("span.f31")); // 38;5;31 is not red
        Assert.Equal("password is ***", page.GetElementById("L6")!.QuerySelector(".x")!.TextContent);
        Assert.NotNull(page.QuerySelector("script[type=module][src='/_dashboard/buildlog.js']"));
    }

    [Fact]
    public async Task The_page_renders_the_last_thousand_lines_and_earlier_ones_come_a_page_at_a_time()
    {
        var (build, _) = await SeedAsync(Numbered("install", 500), Numbered("build", 2000));
        using var client = await server.RootAsync();

        var (_, page) = await client.PageAsync(DashboardRoutes.Build(build.Id));

        var lines = page.QuerySelectorAll(".log-body .line");
        Assert.Equal(1000, lines.Length);
        Assert.Equal("L1501", lines[0].Id);
        Assert.Equal("L2500", lines[^1].Id);
        var earlier = page.QuerySelector("a.log-earlier")!.GetAttribute("href")!;
        Assert.Equal($"{DashboardRoutes.Build(build.Id)}?end=1500#log", earlier);

        var (_, before) = await client.PageAsync(earlier.Split('#')[0]);
        var previous = before.QuerySelectorAll(".log-body .line");
        Assert.Equal(("L501", "L1500"), (previous[0].Id, previous[^1].Id));
        Assert.Empty(before.QuerySelectorAll("details[data-phase=INSTALL] .line")); // its 500 lines are before this page
        Assert.Equal("build 1", before.QuerySelector("details[data-phase=BUILD] .line .x")!.TextContent);
        Assert.Equal("500 lines", before.QuerySelector("details[data-phase=INSTALL] summary .count")!.TextContent);
        Assert.NotNull(before.QuerySelector("a.log-later"));

        var json = await JsonAsync(await client.GetAsync(DashboardRoutes.BuildLogLines(build.Id) + "?before=1500"));
        var page2 = json["lines"]!.AsArray();
        Assert.Equal(1000, page2.Count);
        Assert.Equal(500, (long)page2[0]!["i"]!);
        Assert.Equal("build 1", (string)page2[0]!["h"]!);
        Assert.Equal(2500, (long)json["count"]!);
    }

    [Fact]
    public async Task The_stream_sends_lines_as_they_are_written_resumes_after_Last_Event_ID_and_ends_when_the_log_does()
    {
        var (build, writer) = await SeedAsync(["one", "two"], ["three"], complete: false);
        using var client = await server.RootAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, DashboardRoutes.BuildLogEvents(build.Id));
        request.Headers.Add("Last-Event-ID", "1"); // the browser had lines 0 and 1

        using var response = await client.StreamAsync(request, timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var events = new ServerSentEvents(await response.Content.ReadAsStreamAsync(timeout.Token));
        var phases = (await events.NextAsync(timeout.Token))!;
        Assert.Equal("phases", phases.Type);
        var sections = JsonNode.Parse(phases.Data)!["sections"]!.AsArray();
        Assert.Equal(["SUBMITTED", "QUEUED", "INSTALL", "BUILD"], sections.Select(s => (string)s!["phase"]!));
        Assert.Equal((2L, true, "IN_PROGRESS"), ((long)sections[3]!["first"]!, (bool)sections[3]!["open"]!, (string)sections[3]!["status"]!));

        var first = (await events.NextAsync(timeout.Token))!;
        Assert.Equal(("message", "2"), (first.Type, first.Id));
        Assert.Equal("three", (string)JsonNode.Parse(first.Data)!["h"]!);

        var pending = events.NextAsync(timeout.Token);
        await Task.Delay(100);
        Assert.False(pending.IsCompleted);
        writer!.Append("<b>four</b>", DateTimeOffset.UtcNow);
        var live = (await pending.WaitAsync(TimeSpan.FromSeconds(2)))!;
        Assert.Equal("3", live.Id);
        Assert.Equal("&lt;b&gt;four&lt;/b&gt;", (string)JsonNode.Parse(live.Data)!["h"]!);

        await server.Builds.UpdateBuildAsync(build.Uuid, b => b.Complete(BuildStatuses.Succeeded, DateTimeOffset.UtcNow), default);
        await writer.DisposeAsync();
        var rest = await events.UntilAsync("end", timeout.Token);
        Assert.Equal("end", rest[^1].Type);
        Assert.Equal("SUCCEEDED", (string)JsonNode.Parse(rest[^1].Data)!["status"]!);
        Assert.DoesNotContain(rest, e => e.Type == "message");
        Assert.Null(await events.NextAsync(timeout.Token)); // the stream ends with the log
    }

    [Fact]
    public async Task The_stream_of_a_finished_build_without_a_log_ends_at_once()
    {
        var name = Unique("nolog");
        await server.SeedProjectAsync(name);
        var build = await server.SeedBuildAsync(name, BuildStatuses.Succeeded); // finished, its log never written (or deleted by retention)
        using var client = await server.RootAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var request = new HttpRequestMessage(HttpMethod.Get, DashboardRoutes.BuildLogEvents(build.Id));

        using var response = await client.StreamAsync(request, timeout.Token);
        using var events = new ServerSentEvents(await response.Content.ReadAsStreamAsync(timeout.Token));

        var all = await events.UntilAsync("end", timeout.Token);
        Assert.Equal("end", all[^1].Type);
        Assert.Equal("SUCCEEDED", (string)JsonNode.Parse(all[^1].Data)!["status"]!);
        var (_, page) = await client.PageAsync(DashboardRoutes.Build(build.Id));
        Assert.Equal("true", page.QuerySelector("#log")!.GetAttribute("data-complete")); // the page does not open a stream
    }

    [Fact]
    public async Task A_user_without_GetLogEvents_is_denied_with_the_fix_on_the_page_and_every_log_endpoint_and_audited()
    {
        var (build, _) = await SeedAsync(["secret-free line"], ["another"]);
        var user = await server.UserAsync(Unique("nolog"), LogReader);
        using var client = await server.SessionForAsync(user);
        var stream = server.Scope.LogStreamArn(BuildScope.LogGroupName(build.ProjectName), build.Uuid);
        var message = $"User: {user.Arn} is not authorized to perform: logs:GetLogEvents on resource: {stream} because no identity-based policy allows the logs:GetLogEvents action";

        var (response, page) = await client.PageAsync(DashboardRoutes.Build(build.Id));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("FAILED", page.QuerySelector("#build-status")!.TextContent); // the build shows; its log does not
        Assert.Equal(message, page.QuerySelector("#log .problem .message")!.TextContent);
        Assert.Contains("\"Action\": \"logs:GetLogEvents\"", page.QuerySelector("#log pre.statement")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.QuerySelectorAll(".line"));

        foreach (var path in new[] { DashboardRoutes.BuildLogEvents(build.Id), DashboardRoutes.BuildLogRaw(build.Id), DashboardRoutes.BuildLogSearch(build.Id) + "?q=line", DashboardRoutes.BuildLogLines(build.Id) + "?before=1" })
        {
            var denied = await client.GetAsync(path);
            var body = await denied.Content.ReadAsStringAsync();
            Assert.True(denied.StatusCode == HttpStatusCode.Forbidden, $"{path}: {denied.StatusCode}");
            Assert.Contains("AccessDeniedException", body, StringComparison.Ordinal);
            Assert.Contains("logs:GetLogEvents on resource: ", body, StringComparison.Ordinal);
            Assert.Contains("aws iam put-user-policy --user-name", body, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-free line", body, StringComparison.Ordinal);
        }

        var audit = server.Server.Services.GetRequiredService<IAuditLog>();
        await audit.FlushAsync(default);
        var entries = await audit.QueryAsync(new AuditQuery(PrincipalContains: user.Arn, ActionPrefix: "logs:GetLogEvents"), default);
        Assert.Contains(entries, e => e.Decision == "Deny" && e.Operation == $"console:GET /builds/{build.Id}/log/events" && e.Resource == stream);
    }

    [Fact]
    public async Task Another_accounts_build_and_an_unknown_build_are_not_found_on_the_log_endpoints()
    {
        var other = new BuildScope("111111111111", DashboardServer.Region);
        var name = Unique("theirs");
        await server.SeedProjectAsync(name, other);
        var theirs = await server.SeedBuildAsync(name, BuildStatuses.Succeeded, other);
        await using (var writer = Logs.OpenWriter(theirs.Uuid))
        {
            writer.Append("their line", DateTimeOffset.UtcNow);
        }

        using var client = await server.RootAsync();
        foreach (var id in new[] { theirs.Id, $"{name}:{Guid.NewGuid()}" })
        {
            foreach (var path in new[] { DashboardRoutes.BuildLogEvents(id), DashboardRoutes.BuildLogRaw(id), DashboardRoutes.BuildLogSearch(id) + "?q=their", DashboardRoutes.BuildLogLines(id) + "?before=1" })
            {
                var response = await client.GetAsync(path);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode} {body}");
                Assert.Contains("ResourceNotFoundException", body, StringComparison.Ordinal);
                Assert.DoesNotContain("their line", body, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("/log/events", "Last-Event-ID", "abc", "Invalid Last-Event-ID: abc")]
    [InlineData("/log/events?from=-1", null, null, "Invalid line position ?from=-1")]
    [InlineData("/log/lines", null, null, "Missing ?before=N")]
    [InlineData("/log/lines?before=x", null, null, "Invalid line position ?before=x")]
    [InlineData("/log/search", null, null, "Search text is empty")]
    [InlineData("/log/search?q=a%0Ab", null, null, "Search text must be one line of at most 256 characters; this one has 3 characters and a line break.")]
    [InlineData("?end=-5", null, null, "Invalid log position: -5")]
    [InlineData("?q=%0A", null, null, "Search text must be one line")]
    public async Task Bad_positions_and_searches_are_400s_that_say_what_is_allowed(string suffix, string? header, string? value, string expected)
    {
        var (build, _) = await SeedAsync(["a"], ["b"]);
        using var client = await server.RootAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, DashboardRoutes.Build(build.Id) + suffix);
        if (header is not null)
        {
            request.Headers.Add(header, value);
        }

        using var response = await client.StreamAsync(request, CancellationToken.None);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("InvalidInputException", body, StringComparison.Ordinal);
        Assert.Contains(expected, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_counts_matches_over_the_whole_log_with_and_without_javascript()
    {
        var (build, _) = await SeedAsync(Numbered("install", 500), [.. Enumerable.Range(0, 2000).Select(i => i % 100 == 7 ? $"needle at {i}" : $"hay {i}")]);
        using var client = await server.RootAsync();

        var json = await JsonAsync(await client.GetAsync(DashboardRoutes.BuildLogSearch(build.Id) + "?q=needle"));

        Assert.Equal(20, (long)json["count"]!);
        Assert.Equal(Enumerable.Range(0, 20).Select(k => 500L + (k * 100) + 7), json["matches"]!.AsArray().Select(m => (long)m!));

        var (_, page) = await client.PageAsync(DashboardRoutes.Build(build.Id) + "?q=needle");
        Assert.Equal("20 matching lines", page.QuerySelector(".search-result")!.TextContent);
        var link = page.QuerySelectorAll("ol.search-matches a")[0].GetAttribute("href")!;
        Assert.EndsWith("#L508", link, StringComparison.Ordinal); // index 507 is line 508, far before the last 1,000
        var (_, around) = await client.PageAsync(link.Split('#')[0]);
        Assert.Equal("needle at 7", around.GetElementById("L508")!.QuerySelector(".x")!.TextContent);
    }

    [Fact]
    public async Task Raw_and_download_are_the_whole_log_as_text()
    {
        var (build, _) = await SeedAsync(Numbered("install", 1500), Numbered("build", 1500));
        using var client = await server.RootAsync();

        var raw = await client.GetAsync(DashboardRoutes.BuildLogRaw(build.Id));
        var download = await client.GetAsync(DashboardRoutes.BuildLogRaw(build.Id) + "?download=1");

        var expected = new StringBuilder();
        foreach (var line in Numbered("install", 1500).Concat(Numbered("build", 1500)))
        {
            expected.Append(line).Append('\n');
        }

        Assert.Equal("text/plain", raw.Content.Headers.ContentType!.MediaType);
        Assert.Equal(expected.ToString(), await raw.Content.ReadAsStringAsync());
        Assert.Equal(expected.ToString(), await download.Content.ReadAsStringAsync());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal($"{build.ProjectName}-{build.Uuid}.log", download.Content.Headers.ContentDisposition.FileName!.Trim('"'));
    }
}
