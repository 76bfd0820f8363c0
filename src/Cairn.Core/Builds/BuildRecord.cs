namespace Cairn.Core.Builds;

/// <summary>
/// One build: what was asked for (<see cref="Settings"/>, the project's settings with StartBuild's overrides applied)
/// and where it has got to (status, phases). Lifecycle steps return a new record; the store keeps the latest.
/// </summary>
public sealed record BuildRecord
{
    public required BuildScope Scope { get; init; }

    /// <summary>The part of the id after the project name; also the log stream name.</summary>
    public required string Uuid { get; init; }

    public required string ProjectName { get; init; }

    public long BuildNumber { get; init; }

    public required ProjectSettings Settings { get; init; }

    /// <summary>The source version asked for (StartBuild's, else the project's); null means the default branch.</summary>
    public string? SourceVersion { get; init; }

    /// <summary>The commit the source resolved to, once DOWNLOAD_SOURCE has run.</summary>
    public string? ResolvedSourceVersion { get; init; }

    /// <summary>Who started the build: the user or role session name, as CodeBuild reports it.</summary>
    public required string Initiator { get; init; }

    public string? IdempotencyToken { get; init; }

    /// <summary>A digest of the StartBuild request, to tell a repeated request from a different one with the same token.</summary>
    public string? RequestDigest { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    public string Status { get; init; } = BuildStatuses.InProgress;

    public string CurrentPhase { get; init; } = BuildPhaseTypes.Queued;

    public IReadOnlyList<BuildPhaseRecord> Phases { get; init; } = [];

    public IReadOnlyList<ExportedVariable> ExportedVariables { get; init; } = [];

    /// <summary>For a build a pipeline's CodeBuild action started: its input and output artifacts (outputs get their keys when stored).</summary>
    public PipelineBuild? Pipeline { get; init; }

    /// <summary>StopBuild was called while the build was running; the worker running it stops it.</summary>
    public bool StopRequested { get; init; }

    public string Id => $"{ProjectName}:{Uuid}";

    public string Arn => Scope.BuildArn(Id);

    public bool IsComplete => Status != BuildStatuses.InProgress;

    public bool IsQueued => !IsComplete && CurrentPhase == BuildPhaseTypes.Queued;

    /// <summary>Whether the build writes a CloudWatch Logs stream (logsConfig.cloudWatchLogs.status); Cairn keeps its log either way.</summary>
    public bool WritesCloudWatchLogs => Settings.CloudWatchLogs.Enabled;

    /// <summary>The CloudWatch Logs group: the project's logsConfig groupName, else /aws/codebuild/&lt;project&gt;.</summary>
    public string LogGroupName => Settings.CloudWatchLogs.GroupName ?? BuildScope.LogGroupName(ProjectName);

    /// <summary>The stream: the uuid, under the logsConfig streamName as &lt;streamName&gt;/&lt;uuid&gt; when there is one, as CodeBuild names it.</summary>
    public string LogStreamName => Settings.CloudWatchLogs.StreamName is { } prefix ? $"{prefix}/{Uuid}" : Uuid;

    /// <summary>A new build, submitted and waiting in the queue.</summary>
    public static BuildRecord Submit(
        BuildScope scope, string projectName, string uuid, ProjectSettings settings, string? sourceVersion, string initiator,
        string? idempotencyToken, string? requestDigest, DateTimeOffset now) => new()
        {
            Scope = scope,
            Uuid = uuid,
            ProjectName = projectName,
            Settings = settings,
            SourceVersion = sourceVersion,
            Initiator = initiator,
            IdempotencyToken = idempotencyToken,
            RequestDigest = requestDigest,
            StartTime = now,
            Phases =
            [
                new BuildPhaseRecord(BuildPhaseTypes.Submitted, now, BuildStatuses.Succeeded, now),
                new BuildPhaseRecord(BuildPhaseTypes.Queued, now),
            ],
        };

    /// <summary>
    /// Ends the current phase with <paramref name="status"/> (unless it has ended) and starts <paramref name="phaseType"/>,
    /// whose first log line is <paramref name="firstLogLine"/> when known.
    /// </summary>
    public BuildRecord BeginPhase(string phaseType, DateTimeOffset now, string status = BuildStatuses.Succeeded, long? firstLogLine = null)
    {
        var ended = EndPhase(status, [PhaseContext.None], now);
        return ended with { CurrentPhase = phaseType, Phases = [.. ended.Phases, new BuildPhaseRecord(phaseType, now, FirstLogLine: firstLogLine)] };
    }

    /// <summary>Ends the current phase, if it is still running, with its status and contexts.</summary>
    public BuildRecord EndPhase(string status, IReadOnlyList<PhaseContext> contexts, DateTimeOffset now)
    {
        if (Phases.Count == 0 || Phases[^1].HasEnded)
        {
            return this;
        }

        var last = Phases[^1] with { PhaseStatus = status, EndTime = now, Contexts = contexts };
        return this with { Phases = [.. Phases.Take(Phases.Count - 1), last] };
    }

    /// <summary>
    /// Ends the build: the current phase ends (as <paramref name="phaseStatus"/> with <paramref name="contexts"/> if it is
    /// still running), COMPLETED is entered and the build takes <paramref name="buildStatus"/>.
    /// </summary>
    public BuildRecord Complete(string buildStatus, DateTimeOffset now, string? phaseStatus = null, IReadOnlyList<PhaseContext>? contexts = null)
    {
        var ended = EndPhase(phaseStatus ?? buildStatus, contexts ?? [PhaseContext.None], now);
        return ended with
        {
            Status = buildStatus,
            CurrentPhase = BuildPhaseTypes.Completed,
            EndTime = now,
            StopRequested = false,
            Phases = [.. ended.Phases, new BuildPhaseRecord(BuildPhaseTypes.Completed, now)],
        };
    }
}
