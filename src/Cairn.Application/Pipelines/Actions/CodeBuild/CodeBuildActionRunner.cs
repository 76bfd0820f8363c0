using Cairn.Application.Builds;
using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Pipelines;
using Cairn.Storage;
using Cairn.Storage.Artifacts;

namespace Cairn.Application.Pipelines.Actions.CodeBuild;

/// <summary>
/// The Build and Test actions of provider CodeBuild: a Cairn build of the project, started as the pipeline's role through
/// <see cref="BuildService"/> (so the role's policies decide, as on AWS) with the action's inputs as its CODEPIPELINE
/// sources and its outputs as its artifacts, waited for, and ended as AWS ends it: the output artifacts and the
/// build's exported variables on success, AWS's "Build terminated with state" text naming the failed phase otherwise.
/// </summary>
public sealed class CodeBuildActionRunner(BuildService builds, BuildQueue queue, CodeBuildActionSettings settings) : IPipelineActionRunner
{
    public bool CanRun(ActionTypeId type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Owner == "AWS" && type.Provider == "CodeBuild" && type.Category is "Build" or "Test";
    }

    public async Task<ActionOutcome> RunAsync(ActionRun run, IActionProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(progress);
        string? buildId = run.ExternalExecutionId;
        try
        {
            BuildRecord? build;
            if (buildId is null)
            {
                build = await StartAsync(run, cancellationToken);
                buildId = build.Id;
                progress.Log($"Started build {buildId} of project {build.ProjectName}");
            }
            else
            {
                build = await builds.FindBuildAsync(run.Role, buildId, cancellationToken) ?? throw AwsErrors.CodeBuildActionBuildGone(buildId);
                progress.Log($"Attached to build {buildId}");
            }

            var link = settings.BuildLink(build.Id);
            await progress.ReportAsync(build.Id, link, $"Build {build.Id} is running", cancellationToken);
            build = await WaitAsync(run, build, progress, cancellationToken);
            return Outcome(build, link);
        }
        catch (AwsException error) when (error.IsAccessDenied)
        {
            return Failure(AwsErrors.CodeBuildCallFailed(buildId is null ? "startBuild" : "batchGetBuilds", error, run.Role.RequestId, Fix(run)), buildId);
        }
        catch (AwsException error) when (error.Code is not (AwsErrors.JobFailed or AwsErrors.ConfigurationError))
        {
            return Failure(AwsErrors.CodeBuildCallFailed(buildId is null ? "startBuild" : "batchGetBuilds", error, run.Role.RequestId, null), buildId);
        }
        catch (AwsException error)
        {
            return Failure(error, buildId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && buildId is not null)
        {
            await StopAsync(run, buildId, progress);
            throw;
        }
    }

    private async Task<BuildRecord> StartAsync(ActionRun run, CancellationToken cancellationToken)
    {
        var configuration = CodeBuildActionConfiguration.Read(run.Configuration, run.Inputs);
        var pipeline = new PipelineBuild(
            run.PipelineName,
            [.. configuration.Inputs.Select(i => new PipelineArtifact(i.Name, i.Location.Store, i.Location.Key))],
            [.. run.OutputArtifactNames.Select(name => new PipelineArtifact(name))],
            run.ArtifactStore,
            run.ArtifactKeyPrefix.TrimEnd('/'));
        var request = new StartBuildRequest(configuration.ProjectName)
        {
            Overrides = configuration.Variables.Count == 0 ? [] : new() { ["environmentVariablesOverride"] = configuration.Variables },
            Pipeline = pipeline,
            // The same action execution asking again (the engine restarted before it heard the build id) gets the same build.
            IdempotencyToken = "codepipeline-" + run.ActionExecutionId,
        };
        return await builds.StartBuildAsync(run.Role, request, cancellationToken);
    }

    /// <summary>
    /// Until the build is complete: woken by the end of any build that runs in this process (queued or running when the
    /// wait starts) and then read again; a build that runs in another server is read again every
    /// <see cref="CodeBuildActionSettings.PollInterval"/>. A read the database cannot answer (a PostgreSQL failover, a
    /// dropped connection) is tried again at that pace, said in the action's log, for up to
    /// <see cref="CodeBuildActionSettings.OutageTolerance"/>: the build goes on meanwhile, and a pipeline should not fail for it.
    /// </summary>
    private async Task<BuildRecord> WaitAsync(ActionRun run, BuildRecord build, IActionProgress progress, CancellationToken cancellationToken)
    {
        DateTimeOffset? outageSince = null;
        while (!build.IsComplete)
        {
            // Taken before the read: an end stored after it completes this task, so it cannot slip between the read and the wait.
            var nextEnd = queue.NextEnd;
            try
            {
                build = await builds.FindBuildAsync(run.Role, build.Id, cancellationToken) ?? throw AwsErrors.CodeBuildActionBuildGone(build.Id);
                outageSince = null;
            }
            catch (Exception error) when (DatabaseOutage.Of(error) is { } outage && !cancellationToken.IsCancellationRequested)
            {
                var now = settings.Time.GetUtcNow();
                outageSince ??= now;
                if (now - outageSince.Value >= settings.OutageTolerance)
                {
                    throw AwsErrors.CodeBuildActionDatabaseUnavailable(build.Id, settings.OutageTolerance, outage.Message);
                }

                progress.Log($"Could not read build {build.Id}: the database did not answer ({outage.Message}); reading it again in {settings.PollInterval.TotalSeconds:0.#} s");
                await Task.Delay(settings.PollInterval, settings.Time, cancellationToken);
                continue;
            }

            if (build.IsComplete)
            {
                break;
            }

            try
            {
                await nextEnd.WaitAsync(settings.PollInterval, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Queued behind other builds, or running in another server: read it again.
            }
        }

        return build;
    }

    private static ActionOutcome Outcome(BuildRecord build, string? link)
    {
        if (build.Status != BuildStatuses.Succeeded)
        {
            var failed = build.Phases.FirstOrDefault(p => p.PhaseStatus is { } s && s != BuildStatuses.Succeeded && p.PhaseType != BuildPhaseTypes.Completed)
                ?? build.Phases.LastOrDefault(p => p.PhaseType != BuildPhaseTypes.Completed);
            var context = failed?.Contexts?.FirstOrDefault(c => !string.IsNullOrEmpty(c.StatusCode) || !string.IsNullOrEmpty(c.Message));
            return Failure(AwsErrors.BuildTerminated(build.Status, failed?.PhaseType ?? BuildPhaseTypes.Completed, context?.StatusCode, context?.Message, failed?.Hint), build.Id, link);
        }

        var outputs = new List<ActionArtifact>();
        foreach (var output in build.Pipeline?.Outputs ?? [])
        {
            if (output.Store is null || output.Key is null)
            {
                return Failure(AwsErrors.CodeBuildActionOutputMissing(output.Name, build.Id), build.Id, link);
            }

            outputs.Add(new ActionArtifact(output.Name, new ArtifactLocation(output.Store, output.Key)));
        }

        // Exported values are masked by the build already; a variable that held a parameter's value is left out altogether.
        var secretNames = build.Settings.Environment.Variables.Where(v => v.Type != EnvironmentVariable.Plaintext).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var variables = build.ExportedVariables.Where(v => !secretNames.Contains(v.Name)).GroupBy(v => v.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        return ActionOutcome.Success($"Build {build.Id} succeeded", outputs, variables, build.Id, link);
    }

    private static ActionOutcome Failure(AwsException error, string? buildId, string? link = null) =>
        ActionOutcome.Failure(error.Code, error.Message, buildId, link);

    /// <summary>The statement the pipeline's role lacks to run and follow builds of the project, and the command that adds it.</summary>
    private static string? Fix(ActionRun run)
    {
        if (run.Role.Principal.Name is not { } roleName)
        {
            return null;
        }

        var project = run.Configuration.GetValueOrDefault("ProjectName")?.Trim() ?? "*";
        var projectArn = $"arn:aws:codebuild:{run.Role.Region}:{run.Role.AccountId}:project/{project}";
        var statement = $"{{\"Effect\":\"Allow\",\"Action\":[\"codebuild:StartBuild\",\"codebuild:BatchGetBuilds\",\"codebuild:StopBuild\"],\"Resource\":\"{projectArn}\"}}";
        var document = $"{{\"Version\":\"2012-10-17\",\"Statement\":[{statement}]}}";
        return AwsErrors.PipelineRoleLacksCodeBuild(roleName, "cairn-codebuild-" + project, statement, document).Message;
    }

    /// <summary>The execution was stopped: so is the build, as the pipeline's role (a role that may not stop it leaves it running, said in the log).</summary>
    private async Task StopAsync(ActionRun run, string buildId, IActionProgress progress)
    {
        try
        {
            await builds.StopBuildAsync(run.Role, buildId, CancellationToken.None);
            progress.Log($"Stopped build {buildId}");
        }
        catch (AwsException error)
        {
            progress.Log($"Could not stop build {buildId}: {error.Message}");
        }
    }
}
