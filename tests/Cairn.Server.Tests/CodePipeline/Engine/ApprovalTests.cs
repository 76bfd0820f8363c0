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
        Assert.Equal("Ship it?", approval.Summary);
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
