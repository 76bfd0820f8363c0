using System.Collections.Concurrent;
using System.Threading.Channels;
using Cairn.Application.Pipelines.Actions;
using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Pipelines;
using Cairn.Storage.Artifacts;

namespace Cairn.Server.Tests.CodePipeline.Engine;

/// <summary>A runner whose actions wait until the test ends them: each run is handed to the test through <see cref="NextAsync"/>.</summary>
internal sealed class HeldRunner(params string[] providers) : IPipelineActionRunner
{
    private readonly ConcurrentDictionary<string, Channel<HeldAction>> _started = new(StringComparer.Ordinal);

    public ConcurrentQueue<ActionRun> Runs { get; } = new();

    public bool CanRun(ActionTypeId type) => providers.Contains(type.Provider);

    public async Task<ActionOutcome> RunAsync(ActionRun run, IActionProgress progress, CancellationToken cancellationToken)
    {
        Runs.Enqueue(run);
        var held = new HeldAction(run, progress, cancellationToken);
        Channel(run.ActionName).Writer.TryWrite(held);
        return await held.Outcome.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The next run of the action to start (waits up to 30 s).</summary>
    public async Task<HeldAction> NextAsync(string actionName) =>
        await Channel(actionName).Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    public bool HasStarted(string actionName) => Channel(actionName).Reader.TryPeek(out _);

    private Channel<HeldAction> Channel(string actionName) => _started.GetOrAdd(actionName, _ => System.Threading.Channels.Channel.CreateUnbounded<HeldAction>());
}

internal sealed class HeldAction(ActionRun run, IActionProgress progress, CancellationToken token)
{
    public ActionRun Run { get; } = run;

    public IActionProgress Progress { get; } = progress;

    public CancellationToken Token { get; } = token;

    public TaskCompletionSource<ActionOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Succeed(IReadOnlyDictionary<string, string>? variables = null) =>
        Outcome.TrySetResult(ActionOutcome.Success("done", Outputs(Run), variables ?? new Dictionary<string, string>()));

    public void Fail(string message = "it broke") => Outcome.TrySetResult(ActionOutcome.Failure("JobFailed", message));

    public static IReadOnlyList<ActionArtifact> Outputs(ActionRun run) =>
        run.OutputArtifactNames.Select(n => new ActionArtifact(n, new ArtifactLocation(run.ArtifactStore, $"{run.ArtifactKeyPrefix}/{n}-{run.ActionExecutionId}.tar"))).ToList();
}

/// <summary>A source runner that succeeds at once with its outputs and a CommitId variable.</summary>
internal sealed class InstantSourceRunner : IPipelineActionRunner
{
    public ConcurrentQueue<ActionRun> Runs { get; } = new();

    public bool CanRun(ActionTypeId type) => type.Category == ActionTypes.Source;

    public Task<ActionOutcome> RunAsync(ActionRun run, IActionProgress progress, CancellationToken cancellationToken)
    {
        Runs.Enqueue(run);
        var commit = run.SourceRevision?.RevisionValue ?? $"commit-{Runs.Count}";
        return Task.FromResult(ActionOutcome.Success(
            "fetched", HeldAction.Outputs(run), new Dictionary<string, string> { ["CommitId"] = commit },
            revision: new ArtifactRevision(commit, "a commit", null, null)));
    }
}

/// <summary>Assumes any role, or refuses as STS does when <see cref="Refuse"/> is set.</summary>
internal sealed class FakeRoleAssumer : IRoleAssumer
{
    public bool Refuse { get; set; }

    public List<(string Role, string Service)> Assumed { get; } = [];

    public Task<TemporaryCredentials> AssumeRoleAsServiceAsync(string roleArn, string servicePrincipal, string sessionName, TimeSpan duration, CancellationToken cancellationToken)
    {
        lock (Assumed)
        {
            Assumed.Add((roleArn, servicePrincipal));
        }

        return Refuse
            ? throw AwsErrors.AccessDenied($"User: {servicePrincipal} is not authorized to perform: sts:AssumeRole on resource: {roleArn}")
            : Task.FromResult(new TemporaryCredentials("ASIAFAKE", "secret", "token", DateTimeOffset.UtcNow.AddHours(1), roleArn.Replace(":iam:", ":sts:") + "/codepipeline", "AROAFAKE:codepipeline"));
    }
}
