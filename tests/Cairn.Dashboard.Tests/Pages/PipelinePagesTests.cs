using System.Net;
using AngleSharp.Html.Dom;
using Cairn.Core.Pipelines.Executions;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Tests.Infrastructure;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Pipelines;

namespace Cairn.Dashboard.Tests.Pages;

/// <summary>The pipelines list and a pipeline's page (stage graph, approval, retry, stop, history), run by the real engine.</summary>
public sealed class PipelinePagesTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static string Text(IHtmlDocument page, string selector) => page.QuerySelector(selector)?.TextContent.Trim() ?? "";

    private async Task<(string Name, string ExecutionId)> WaitingApprovalAsync(string prefix)
    {
        var name = Unique(prefix);
        var id = await PipelineSeeds.CreateAsync(server, name);
        await PipelineSeeds.UntilApprovalWaitsAsync(server, name, id);
        return (name, id);
    }

    [Fact]
    public async Task The_list_shows_each_pipeline_with_its_latest_execution()
    {
        var (name, id) = await WaitingApprovalAsync("listed");
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(DashboardRoutes.Pipelines);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = page.QuerySelectorAll("table.pipelines tbody tr").Single(r => r.QuerySelector("td a")!.TextContent == name);
        Assert.Equal(DashboardRoutes.Pipeline(name), row.QuerySelector("td a")!.GetAttribute("href"));
        Assert.Equal($"InProgress {id}", row.QuerySelectorAll("td")[1].TextContent.Trim());
        Assert.Equal("1", row.QuerySelectorAll("td")[4].TextContent.Trim());
        Assert.NotNull(page.QuerySelector($"nav a[href='{DashboardRoutes.Pipelines}']"));
    }

    [Fact]
    public async Task The_pipeline_page_shows_the_stages_in_order_with_live_action_states_and_the_build_link()
    {
        var (name, id) = await WaitingApprovalAsync("graph");
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(DashboardRoutes.Pipeline(name));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Source", "Build", "Approve"], page.QuerySelectorAll("section.stage h3").Select(h => h.TextContent));
        Assert.Equal(id, Text(page, "#latest-execution"));
        var source = page.QuerySelector("#stage-Source")!;
        Assert.StartsWith("Succeeded", source.QuerySelector("header .status")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Succeeded", source.QuerySelector("li.action")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(id, source.QuerySelector("header .number")!.TextContent);
        var build = page.QuerySelector("#stage-Build a.external")!;
        Assert.StartsWith("app:", build.TextContent, StringComparison.Ordinal);
        Assert.Equal(DashboardRoutes.Build(build.TextContent), build.GetAttribute("href"));
        var approve = page.QuerySelector("#stage-Approve")!;
        Assert.Contains("InProgress", approve.QuerySelector("li.action")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(approve.QuerySelector($"form[action='{DashboardRoutes.PipelineApproval(name)}'] input[name=Token]"));
        Assert.NotNull(approve.QuerySelector(".duration"));
        // Something runs: the stop form is in the history and the live module is loaded (as a file: the CSP refuses inline script).
        Assert.Single(page.QuerySelectorAll($"form[action='{DashboardRoutes.PipelineStop(name)}']"));
        Assert.Equal("true", page.QuerySelector("#pipeline-live")!.GetAttribute("data-live"));
        Assert.Equal($"{DashboardRoutes.Assets}/pipeline-live.js", page.QuerySelector("script[type=module]")!.GetAttribute("src"));
        Assert.Empty(page.QuerySelectorAll("script:not([src]), [style]"));
    }

    [Fact]
    public async Task Approve_with_a_comment_completes_the_approval_as_the_signed_in_user()
    {
        var (name, id) = await WaitingApprovalAsync("approve");
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Pipeline(name));

        var response = await client.SubmitAsync(page, DashboardRoutes.PipelineApproval(name), ("Summary", "ship it"), ("Decision", "Approved"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(DashboardRoutes.Pipeline(name), response.Headers.Location!.OriginalString);
        var done = await PipelineSeeds.UntilAsync(server, name, id, e => e.Status == ExecutionStatuses.Succeeded);
        var approval = done.Actions.Single(a => a.IsApproval);
        Assert.Equal("ship it", approval.Summary);
        Assert.Equal($"arn:aws:iam::{DashboardServer.Account}:root", approval.UpdatedBy);
        var (_, after) = await client.PageAsync(DashboardRoutes.Pipeline(name));
        Assert.Null(after.QuerySelector("form.approval"));
        Assert.Null(after.QuerySelector("#pipeline-live")!.GetAttribute("data-live"));
        Assert.Null(after.QuerySelector("script[type=module]"));
        Assert.Contains($"by arn:aws:iam::{DashboardServer.Account}:root", after.QuerySelector("#stage-Approve")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reject_fails_the_execution_with_the_comment()
    {
        var (name, id) = await WaitingApprovalAsync("reject");
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Pipeline(name));

        var response = await client.SubmitAsync(page, DashboardRoutes.PipelineApproval(name), ("Summary", "not today"), ("Decision", "Rejected"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var done = await PipelineSeeds.UntilAsync(server, name, id, e => e.Status == ExecutionStatuses.Failed);
        Assert.Equal(ExecutionStatuses.Failed, done.Actions.Single(a => a.IsApproval).Status);
        var (_, after) = await client.PageAsync(DashboardRoutes.Pipeline(name));
        Assert.Contains("not today", after.QuerySelector("#stage-Approve")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_stage_offers_Retry_which_runs_its_failed_actions_again()
    {
        var name = Unique("retry");
        var id = await PipelineSeeds.CreateAsync(server, name, branch: "flaky");
        await PipelineSeeds.UntilAsync(server, name, id, e => e.Status == ExecutionStatuses.Failed);
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Pipeline(name));
        Assert.Contains("The flaky source failed", page.QuerySelector("#stage-Source .error")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#stage-Build form.retry"));

        var response = await client.SubmitAsync(page, DashboardRoutes.PipelineRetry(name));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var retried = await PipelineSeeds.UntilApprovalWaitsAsync(server, name, id);
        Assert.Equal(1, retried.Stage("Source")!.ManualRetries);
    }

    [Fact]
    public async Task Stop_with_abandon_stops_the_execution_with_its_reason()
    {
        var (name, id) = await WaitingApprovalAsync("stop");
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Pipeline(name));

        var response = await client.SubmitAsync(page, DashboardRoutes.PipelineStop(name), ("Reason", "wrong commit"), ("Abandon", "true"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var stopped = await PipelineSeeds.UntilAsync(server, name, id, e => e.Status == ExecutionStatuses.Stopped);
        Assert.Equal("wrong commit", stopped.StopReason);
        Assert.Equal(ExecutionStatuses.Abandoned, stopped.Actions.Single(a => a.IsApproval).Status);
        var (_, after) = await client.PageAsync(DashboardRoutes.Pipeline(name));
        Assert.Contains("wrong commit", after.QuerySelector("table.executions")!.TextContent, StringComparison.Ordinal);
        Assert.Null(after.QuerySelector("form.stop"));
    }

    [Fact]
    public async Task The_history_is_paged_newest_first()
    {
        var name = Unique("paged");
        var first = await PipelineSeeds.CreateAsync(server, name);
        await PipelineSeeds.UntilApprovalWaitsAsync(server, name, first);
        var store = PipelineSeeds.Store(server);
        var template = (await store.GetAsync(PipelineSeeds.Scope, name, first, default))!;
        for (var i = 1; i <= 21; i++)
        {
            await store.CreateAsync(template with
            {
                ExecutionId = Guid.NewGuid().ToString("D"), Status = ExecutionStatuses.Succeeded, StartTime = template.StartTime.AddSeconds(i), ClientRequestToken = null,
            }, default);
        }

        using var client = await server.RootAsync();

        var (_, page1) = await client.PageAsync(DashboardRoutes.Pipeline(name));
        Assert.Equal(20, page1.QuerySelectorAll("table.executions tbody tr").Length);
        var older = page1.QuerySelectorAll(".paging a").Single(a => a.TextContent == "Older executions").GetAttribute("href")!;
        Assert.Equal($"{DashboardRoutes.Pipeline(name)}?skip=20", older);
        var (_, page2) = await client.PageAsync(older);
        var rows = page2.QuerySelectorAll("table.executions tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.Equal(first, rows[^1].QuerySelector("td")!.TextContent);
        Assert.DoesNotContain(page2.QuerySelectorAll(".paging a"), a => a.TextContent == "Older executions");
        Assert.Contains(page2.QuerySelectorAll(".paging a"), a => a.TextContent == "Newer executions");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("100001")]
    public async Task A_bad_page_position_is_a_400_saying_what_is_allowed(string skip)
    {
        var (name, _) = await WaitingApprovalAsync("badskip");

        await ProblemAssert.BadRequestAsync(server, $"{DashboardRoutes.Pipeline(name)}?skip={Uri.EscapeDataString(skip)}",
            "ValidationException", $"Invalid page position: skip={skip}. It is a number of executions from 0 to 100000");
    }

    [Fact]
    public async Task A_pipeline_that_does_not_exist_says_so()
    {
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(DashboardRoutes.Pipeline("no-such-pipeline"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("PipelineNotFoundException", Text(page, ".problem h2"));
        Assert.Contains("no-such-pipeline", Text(page, ".problem .message"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Decision", "Maybe", "Invalid approval decision 'Maybe': press Approve or Reject")]
    [InlineData("Token", "not-a-token", "Value 'not-a-token' at 'token' failed to satisfy constraint")]
    [InlineData("Token", "", "Value null at 'token' failed to satisfy constraint: Member must not be null")]
    [InlineData("StageName", "", "Value null at 'stageName' failed to satisfy constraint")]
    [InlineData("Summary", "LONG", "The comment is 513 characters long; an approval's summary is at most 512.")]
    [InlineData("Token", "11111111-2222-3333-4444-555555555555", "InvalidApprovalTokenException")]
    [InlineData("StageName", "Nope", "StageNotFoundException")]
    public async Task A_bad_approval_is_a_400_and_the_approval_still_waits(string field, string value, string expected)
    {
        var (name, id) = await WaitingApprovalAsync("badapproval");
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Pipeline(name));
        var form = page.QuerySelector("form.approval")!;
        var fields = form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>().ToDictionary(i => i.Name!, i => i.Value);
        fields["Summary"] = "ok";
        fields["Decision"] = "Approved";
        fields[field] = value == "LONG" ? new string('x', 513) : value;

        var response = await client.PostAsync(DashboardRoutes.PipelineApproval(name), fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = DashboardServer.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".problem")!.TextContent;
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        var execution = await PipelineSeeds.Store(server).GetAsync(PipelineSeeds.Scope, name, id, default);
        Assert.Equal(ExecutionStatuses.InProgress, execution!.Actions.Single(a => a.IsApproval).Status);
    }

    [Theory]
    [InlineData("Reason", "LONG", "The reason is 201 characters long; a stop reason is at most 200.")]
    [InlineData("Abandon", "perhaps", "Invalid abandon value 'perhaps'")]
    [InlineData("ExecutionId", "12", "Value '12' at 'pipelineExecutionId' failed to satisfy constraint")]
    [InlineData("ExecutionId", "11111111-2222-3333-4444-555555555555", "PipelineExecutionNotFoundException")]
    public async Task A_bad_stop_is_a_400_and_the_execution_runs_on(string field, string value, string expected)
    {
        var (name, id) = await WaitingApprovalAsync("badstop");
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Pipeline(name));
        var fields = page.QuerySelector("form.stop")!.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>().ToDictionary(i => i.Name!, i => i.Value);
        fields[field] = value == "LONG" ? new string('x', 201) : value;

        var response = await client.PostAsync(DashboardRoutes.PipelineStop(name), fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, DashboardServer.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".problem")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatuses.InProgress, (await PipelineSeeds.Store(server).GetAsync(PipelineSeeds.Scope, name, id, default))!.Status);
    }

    [Theory]
    [InlineData("RetryMode", "SOME_ACTIONS", "Invalid retry mode 'SOME_ACTIONS'")]
    [InlineData("StageName", "Build", "StageNotRetryableException")]
    public async Task A_bad_retry_is_a_400(string field, string value, string expected)
    {
        var name = Unique("badretry");
        var id = await PipelineSeeds.CreateAsync(server, name, branch: "flaky");
        await PipelineSeeds.UntilAsync(server, name, id, e => e.Status == ExecutionStatuses.Failed);
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Pipeline(name));
        var fields = page.QuerySelector("form.retry")!.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>().ToDictionary(i => i.Name!, i => i.Value);
        fields[field] = value;

        var response = await client.PostAsync(DashboardRoutes.PipelineRetry(name), fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, DashboardServer.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".problem")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_without_GetPipelineState_sees_AccessDenied_and_the_statement_not_the_graph()
    {
        var (name, _) = await WaitingApprovalAsync("guarded");
        var user = await server.UserAsync(Unique("lister"), """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:ListPipelines","Resource":"*"}]}""");
        using var client = await server.SessionForAsync(user);
        var arn = PipelineSeeds.Scope.PipelineArn(name);

        var (listResponse, list) = await client.PageAsync(DashboardRoutes.Pipelines);
        var (response, page) = await client.PageAsync(DashboardRoutes.Pipeline(name));

        Assert.Equal(HttpStatusCode.OK, listResponse.StatusCode);
        var row = list.QuerySelectorAll("table.pipelines tbody tr").Single(r => r.QuerySelector("td a")!.TextContent == name);
        Assert.Equal("not readable", row.QuerySelectorAll("td")[1].TextContent.Trim());
        Assert.Contains(list.QuerySelectorAll(".problem .message"), m => m.TextContent.Contains($"codepipeline:ListPipelineExecutions on resource: {arn}", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            $"User: {user.Arn} is not authorized to perform: codepipeline:GetPipelineState on resource: {arn} because no identity-based policy allows the codepipeline:GetPipelineState action",
            Text(page, ".problem .message"));
        Assert.Equal($"{{\n  \"Effect\": \"Allow\",\n  \"Action\": \"codepipeline:GetPipelineState\",\n  \"Resource\": \"{arn}\"\n}}", Text(page, "pre.statement"));
        Assert.Null(page.QuerySelector("section.stage"));
    }

    [Fact]
    public async Task A_user_who_may_read_but_not_approve_is_denied_with_the_fix_and_the_approval_still_waits()
    {
        var (name, id) = await WaitingApprovalAsync("readonly");
        var user = await server.UserAsync(Unique("viewer"), """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codepipeline:Get*","codepipeline:List*"],"Resource":"*"}]}""");
        using var client = await server.SessionForAsync(user);
        var (_, page) = await client.PageAsync(DashboardRoutes.Pipeline(name));
        Assert.Null(page.QuerySelector(".problem"));

        var response = await client.SubmitAsync(page, DashboardRoutes.PipelineApproval(name), ("Summary", "sneaky"), ("Decision", "Approved"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = DashboardServer.Parse(await response.Content.ReadAsStringAsync());
        var resource = $"{PipelineSeeds.Scope.PipelineArn(name)}/Approve/Manual";
        Assert.Contains($"codepipeline:PutApprovalResult on resource: {resource}", Text(problem, ".problem .message"), StringComparison.Ordinal);
        Assert.Contains($"\"Resource\": \"{resource}\"", Text(problem, "pre.statement"), StringComparison.Ordinal);
        var execution = await PipelineSeeds.Store(server).GetAsync(PipelineSeeds.Scope, name, id, default);
        Assert.Equal(ExecutionStatuses.InProgress, execution!.Actions.Single(a => a.IsApproval).Status);
    }

    [Theory]
    [InlineData("approval")]
    [InlineData("stop")]
    [InlineData("retry")]
    public async Task A_pipeline_form_with_a_missing_or_forged_antiforgery_token_is_refused(string form)
    {
        var (name, id) = await WaitingApprovalAsync("csrf");
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Pipeline(name));
        var token = page.QuerySelector("input[name=__csrf]")!.GetAttribute("value")!;
        var forged = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");
        var action = $"{DashboardRoutes.Pipeline(name)}/{form}";
        var approvalToken = page.QuerySelector("form.approval input[name=Token]")!.GetAttribute("value")!;
        KeyValuePair<string, string>[] fields =
        [
            new("StageName", "Approve"), new("ActionName", "Manual"), new("Token", approvalToken), new("Decision", "Approved"),
            new("ExecutionId", id), new("Abandon", "true"), new("RetryMode", "FAILED_ACTIONS"),
        ];

        var missing = await client.PostAsync(action, fields);
        var wrong = await client.PostAsync(action, [.. fields, new("__csrf", forged)]);

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("antiforgery token is missing or not valid", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var execution = await PipelineSeeds.Store(server).GetAsync(PipelineSeeds.Scope, name, id, default);
        Assert.Equal(ExecutionStatuses.InProgress, execution!.Status);
        Assert.Equal(ExecutionStatuses.InProgress, execution.Actions.Single(a => a.IsApproval).Status);
    }

    [Fact]
    public async Task The_live_module_is_served_as_a_script()
    {
        using var client = server.Client();

        var response = await client.GetAsync($"{DashboardRoutes.Assets}/pipeline-live.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("pipeline-live", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_written_by_another_store_on_the_same_database_reaches_the_pages_change_stream()
    {
        var (name, id) = await WaitingApprovalAsync("changes");
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Pipeline(name));
        Assert.Equal(DashboardRoutes.PipelineChanges(name), page.QuerySelector("#pipeline-live")!.GetAttribute("data-changes"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, DashboardRoutes.PipelineChanges(name));
        using var response = await client.StreamAsync(request, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var events = new ServerSentEvents(await response.Content.ReadAsStreamAsync(timeout.Token));

        // Nothing changes while the approval waits: no event.
        var next = events.NextAsync(timeout.Token);
        Assert.NotSame(next, await Task.WhenAny(next, Task.Delay(1500)));

        // "Another server": its own connection and store on the server's database file, as a second process has.
        using (var database = SqliteDatabase.Open(Path.Combine(server.DataDirectory, "cairn.db"), [PipelineExecutionMigrations.Set]))
        {
            var other = new SqlitePipelineExecutionStore(database);
            var execution = (await other.GetAsync(PipelineSeeds.Scope, name, id, timeout.Token))!;
            var written = System.Diagnostics.Stopwatch.StartNew();
            await other.SaveAsync(execution, timeout.Token);

            var change = (await next)!;
            Assert.Equal("change", change.Type);
            Assert.True(written.Elapsed < TimeSpan.FromSeconds(5), $"the change took {written.Elapsed} to reach the stream (the feed promises about a second)");
        }
    }

    [Fact]
    public async Task The_change_stream_is_authorized_as_the_page()
    {
        var (name, _) = await WaitingApprovalAsync("streamguard");
        var user = await server.UserAsync(Unique("lister"), """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:ListPipelines","Resource":"*"}]}""");
        using var client = await server.SessionForAsync(user);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, DashboardRoutes.PipelineChanges(name));

        using var response = await client.StreamAsync(request, timeout.Token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("codepipeline:GetPipelineState", await response.Content.ReadAsStringAsync(timeout.Token), StringComparison.Ordinal);
    }
}
