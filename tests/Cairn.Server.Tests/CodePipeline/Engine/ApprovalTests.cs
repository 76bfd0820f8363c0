using Cairn.Core.Errors;
using Cairn.Core.Pipelines.Executions;

namespace Cairn.Server.Tests.CodePipeline.Engine;

/// <summary>Manual approvals: a token, approve, reject, the 7-day timeout on a manual clock, and after a restart.</summary>
public sealed class ApprovalTests : EngineFixture
{
    private async Task<(PipelineExecution Execution, ActionExecution Approval)> WaitingApprovalAsync(string name, int? timeoutInMinutes = null)
    {
        var pipeline = await PipelineAsync(name, "SUPERSEDED", null, Stage("Approve", Approval(timeoutInMinutes: timeoutInMinutes)));
        var execution = await StartAsync(pipeline);
        var waiting = await UntilAsync(execution, e => e.Actions.Any(a => a.ActionName == "Manual"));
        return (waiting, Action(waiting, "Manual"));
    }

    [Fact]
    public async Task An_approval_waits_with_a_token_showing_its_custom_data_and_link_and_Approved_lets_the_execution_succeed()
    {
        var (execution, approval) = await WaitingApprovalAsync("approve");
        Assert.Equal(ExecutionStatuses.InProgress, approval.Status);
        Assert.True(Guid.TryParse(approval.Token, out _));
        Assert.Equal("Ship it?\nApproving commit commit-1 \"a commit\" (Fetch).", approval.Summary);
        Assert.Equal("http://example.test/diff", approval.ExternalExecutionUrl);

        await Engine.PutApprovalResultAsync(Scope, "approve", "Approve", "Manual", approval.Token!, true, "looks good", "arn:aws:iam::000000000000:user/lead", CancellationToken.None);

        var done = await UntilStatusAsync(execution, ExecutionStatuses.Succeeded);
        Assert.Equal("looks good", Action(done, "Manual").Summary);
        Assert.Equal("arn:aws:iam::000000000000:user/lead", Action(done, "Manual").UpdatedBy);
        var twice = await Assert.ThrowsAsync<AwsException>(() =>
            Engine.PutApprovalResultAsync(Scope, "approve", "Approve", "Manual", approval.Token!, true, "again", "me", CancellationToken.None));
        Assert.Equal("ApprovalAlreadyCompletedException", twice.Code);
    }

    [Fact]
    public async Task A_waiting_approval_shows_the_commit_it_approves_and_the_image_digest_a_build_exported()
    {
        var pipeline = await PipelineAsync("subject", "SUPERSEDED", null, Stage("Build", Build("Image", ns: "BuildVariables")), Stage("Approve", Approval()));
        var execution = await StartAsync(pipeline);
        (await Held.NextAsync("Image")).Succeed(new Dictionary<string, string>
        {
            ["IMAGE_URI"] = "127.0.0.1:5000/app@sha256:0f1e2d3c",
            ["IMAGE_TAG"] = "v2",
        });

        var waiting = await UntilAsync(execution, e => e.Actions.Any(a => a.ActionName == "Manual"));

        Assert.Equal(
            "Ship it?\nApproving commit commit-1 \"a commit\" (Fetch); BuildVariables.IMAGE_URI = 127.0.0.1:5000/app@sha256:0f1e2d3c.",
            Action(waiting, "Manual").Summary);
    }

    [Fact]
    public async Task An_approval_summary_takes_the_first_line_of_a_commit_message_from_AWSs_revision_JSON_and_keeps_within_2048()
    {
        var source = Action(new[] { "{\"ProviderType\":\"GitHub\",\"CommitMessage\":\"Fix the health check\\n\\nlong body\"}" });
        Assert.Equal("Approving commit 0123456789ab \"Fix the health check\" (Fetch).", Cairn.Application.Pipelines.Executions.PipelineEngine.ApprovalSummary(null, source));

        var summary = Cairn.Application.Pipelines.Executions.PipelineEngine.ApprovalSummary(new string('x', 2040), source);
        Assert.Equal(2048, summary!.Length);
        Assert.EndsWith("...", summary, StringComparison.Ordinal);
        Assert.Equal("Ship it?", Cairn.Application.Pipelines.Executions.PipelineEngine.ApprovalSummary("Ship it?", []));

        static ActionExecution[] Action(string[] summaries) => summaries.Select(summary => new ActionExecution(
            "a1", "Source", "Fetch", 1, 1, new Cairn.Core.Pipelines.ActionTypeId("Source", "AWS", "CodeStarSourceConnection", "1"), ExecutionStatuses.Succeeded,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, new Dictionary<string, string>(), [], [], new Dictionary<string, string>(),
            Revision: new SourceRevisionRecord("Src", "0123456789abcdef0123", summary, null, null))).ToArray();
    }

    [Fact]
    public async Task A_wrong_token_is_InvalidApprovalTokenException_and_Rejected_fails_the_execution()
    {
        var (execution, approval) = await WaitingApprovalAsync("reject");

        var wrong = await Assert.ThrowsAsync<AwsException>(() =>
            Engine.PutApprovalResultAsync(Scope, "reject", "Approve", "Manual", Guid.NewGuid().ToString(), true, "x", "me", CancellationToken.None));
        Assert.Equal("InvalidApprovalTokenException", wrong.Code);
        await Engine.PutApprovalResultAsync(Scope, "reject", "Approve", "Manual", approval.Token!, false, "not this one", "arn:aws:iam::000000000000:user/lead", CancellationToken.None);

        var failed = await UntilStatusAsync(execution, ExecutionStatuses.Failed);
        Assert.Equal(ExecutionStatuses.Failed, Action(failed, "Manual").Status);
        Assert.Contains("Rejected by arn:aws:iam::000000000000:user/lead: not this one", Action(failed, "Manual").ErrorMessage);
    }

    [Fact]
    public async Task An_approval_nobody_answers_fails_after_7_days_and_not_before()
    {
        var (execution, _) = await WaitingApprovalAsync("timeout");

        Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        await Task.Delay(100);
        Assert.Equal(ExecutionStatuses.InProgress, (await GetAsync(execution)).Status);
        Clock.Advance(TimeSpan.FromMinutes(1));

        var failed = await UntilStatusAsync(execution, ExecutionStatuses.Failed);
        Assert.Contains("not answered within 7 days", Action(failed, "Manual").ErrorMessage);
    }

    [Fact]
    public async Task An_approval_keeps_waiting_across_a_restart_and_its_timeout_counts_from_when_it_started()
    {
        var (execution, approval) = await WaitingApprovalAsync("restart", timeoutInMinutes: 60);
        await Engine.DisposeAsync();
        Clock.Advance(TimeSpan.FromMinutes(30));

        NewEngine();
        await Engine.ResumeAsync(CancellationToken.None);
        Assert.Equal(ExecutionStatuses.InProgress, Action(await GetAsync(execution), "Manual").Status);
        Clock.Advance(TimeSpan.FromMinutes(30));

        var failed = await UntilStatusAsync(execution, ExecutionStatuses.Failed);
        Assert.Contains("60 minutes", Action(failed, "Manual").ErrorMessage);
        Assert.Equal(approval.Token, Action(failed, "Manual").Token);
    }
}
