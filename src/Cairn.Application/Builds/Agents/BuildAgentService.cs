using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Cairn.Application.Builds.Execution;
using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Runner.Agents;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;
using Cairn.Storage.Logs;
using Microsoft.Extensions.Logging;

namespace Cairn.Application.Builds.Agents;

/// <summary>
/// Build agents, as the server sees them: registration tokens and agents (an admin's calls, authorized by IAM), and an
/// agent's own calls (claim, log, heartbeat, completion), each authenticated by its secret and, once it holds a build,
/// fenced by the build's lease token. See docs/adr/0010-build-agents.md.
/// </summary>
public sealed partial class BuildAgentService(
    IBuildAgentStore agents,
    IBuildStore builds,
    IBuildLogStore logs,
    ILogStore logGroups,
    BuildQueue queue,
    IBuildRoleAssumer roles,
    IAuthorizer authorizer,
    AgentBuildOutputs outputs,
    CodeBuildOptions options,
    TimeProvider time,
    ILogger<BuildAgentService> logger)
{
    public const string LostCode = "AGENT_LOST";

    private static readonly TimeSpan TokenValidity = TimeSpan.FromHours(24);

    private readonly ConcurrentDictionary<string, IBuildLogWriter> _writers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _logLocks = new(StringComparer.Ordinal);

    public static string AgentArn(string region, string accountId, string agentId) => $"arn:aws:codebuild:{region}:{accountId}:agent/{agentId}";

    /// <summary>A one-time registration token (valid 24 hours); only its SHA-256 is stored.</summary>
    public async Task<string> CreateRegistrationTokenAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var account = context.Principal.AccountId;
        await authorizer.AuthorizeAsync(context, "cairn:CreateAgentRegistrationToken", AgentArn(context.Region, account, "*"), cancellationToken);
        var token = "cairnreg-" + RandomText(32);
        var now = time.GetUtcNow();
        await agents.AddRegistrationTokenAsync(account, Hash(token), context.Principal.Arn, now, now + TokenValidity, cancellationToken);
        return token;
    }

    public async Task<IReadOnlyList<BuildAgent>> ListAgentsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "cairn:ListAgents", AgentArn(context.Region, context.Principal.AccountId, "*"), cancellationToken);
        return await agents.ListAgentsAsync(context.Principal.AccountId, cancellationToken);
    }

    /// <summary>Revokes the agent: its next call is refused, and the builds it holds fail when their lease runs out.</summary>
    public async Task RevokeAgentAsync(RequestContext context, string agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "cairn:RevokeAgent", AgentArn(context.Region, context.Principal.AccountId, agentId), cancellationToken);
        if (!await agents.RevokeAgentAsync(context.Principal.AccountId, agentId, time.GetUtcNow(), cancellationToken))
        {
            throw new AwsException("ResourceNotFoundException", $"There is no build agent {agentId}; list the agents with: cairn agents list");
        }
    }

    /// <summary>Exchanges a registration token (once) for an agent id and secret.</summary>
    public async Task<AgentRegistration> RegisterAsync(AgentRegistrationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var labels = (request.Labels ?? []).Select(l => l.Trim()).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (labels.Any(l => l.Contains(',', StringComparison.Ordinal) || l.Length > 64))
        {
            throw AwsErrors.Validation("Agent labels are names of up to 64 characters without commas, such as linux,docker.");
        }

        var secret = "cairnagent-" + RandomText(32);
        var now = time.GetUtcNow();
        var agent = await agents.RegisterAsync(Hash(request.Token ?? ""), account => new BuildAgent(
            "agent-" + RandomText(8).ToLowerInvariant(), account, string.IsNullOrWhiteSpace(request.Name) ? "agent" : request.Name.Trim(), labels,
            Hash(secret), "registration token", now, null), now, cancellationToken)
            ?? throw new AwsException("InvalidRegistrationToken",
                "The registration token is unknown, already used or expired (a token registers one agent, within 24 hours). Create a new one with: cairn agents token create", 403);
        LogRegistered(logger, agent.Id, string.Join(',', agent.Labels));
        return new AgentRegistration(agent.Id, secret, agent.AccountId, agent.Labels);
    }

    /// <summary>The agent whose id and secret these are; a revoked or unknown agent is refused with what to do.</summary>
    public async Task<BuildAgent> AuthenticateAsync(string agentId, string secret, CancellationToken cancellationToken)
    {
        var agent = await agents.FindAgentAsync(agentId, cancellationToken);
        if (agent is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(agent.SecretHash), Encoding.ASCII.GetBytes(Hash(secret))))
        {
            throw new AwsException("UnrecognizedAgent", $"No build agent {agentId} with that secret is registered; register with a new token from: cairn agents token create", 403);
        }

        if (agent.RevokedAt is { } revoked)
        {
            throw new AwsException("AgentRevoked",
                $"Build agent {agent.Id} was revoked at {revoked:u}; it can claim and report nothing. Register it again with a new token from: cairn agents token create", 403);
        }

        return agent;
    }

    /// <summary>
    /// Claims the oldest queued build of the agent's account that its labels accept, waiting up to <paramref name="hold"/>
    /// for one to be queued; null when none came. The build's role is assumed here, as the server's workers do.
    /// </summary>
    public async Task<AgentAssignment?> ClaimAsync(BuildAgent agent, TimeSpan hold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var deadline = time.GetUtcNow() + hold;
        while (true)
        {
            var wake = queue.NextNotify;
            var now = time.GetUtcNow();
            var lease = RandomText(16);
            var runner = AgentRunners.Runner(agent.Id, lease);
            var claimed = await builds.ClaimNextQueuedAsync(
                build => build.Scope.AccountId == agent.AccountId && AgentRunners.Accepts(agent.Labels, build),
                build => build.BeginPhase(BuildPhaseTypes.Provisioning, now), runner, now, cancellationToken);
            if (claimed is not null)
            {
                LogClaimed(logger, claimed.Id, agent.Id);
                if (await AssignAsync(claimed, agent, lease, runner, cancellationToken) is { } assignment)
                {
                    return assignment;
                }

                continue;
            }

            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            try
            {
                await wake.WaitAsync(left < TimeSpan.FromSeconds(5) ? left : TimeSpan.FromSeconds(5), time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Looks again: a build may have left another project's concurrency limit, or been queued by another server.
            }
        }
    }

    /// <summary>Appends a chunk of masked lines; lines the log already has (a retried chunk) are skipped.</summary>
    public async Task<long> AppendLogAsync(BuildAgent agent, string uuid, AgentLogChunk chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(chunk);
        await HoldAsync(agent, uuid, chunk.LeaseToken, _ => null, cancellationToken);
        var gate = _logLocks.GetOrAdd(uuid, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var writer = _writers.GetOrAdd(uuid, logs.OpenWriter);
            var have = writer.Count;
            if (chunk.Offset > have)
            {
                throw new AwsException("LogGap", $"The log of build {uuid} has {have} lines; send the lines from offset {have} on.", 409);
            }

            foreach (var line in chunk.Lines.Skip((int)Math.Min(int.MaxValue, have - chunk.Offset)))
            {
                writer.AppendBatched(line.Text, line.Time);
            }

            writer.Flush();
            return writer.Count;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Renews the build's lease and stores its phases so far; the answer says whether StopBuild asked it to stop.</summary>
    public async Task<AgentHeartbeatAnswer> HeartbeatAsync(BuildAgent agent, string uuid, AgentHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        var stored = await HoldAsync(agent, uuid, heartbeat.LeaseToken, build => heartbeat.Phases is { Count: > 0 } phases
            ? build with
            {
                Phases = [.. build.Phases.TakeWhile(p => p.PhaseType != BuildPhaseTypes.Provisioning), .. phases],
                CurrentPhase = phases[^1].PhaseType,
            }
            : null, cancellationToken);
        return new AgentHeartbeatAnswer(stored.StopRequested);
    }

    /// <summary>The guarded completion: stored only while the agent still holds the build's lease.</summary>
    public async Task<BuildRecord> CompleteAsync(BuildAgent agent, string uuid, AgentCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        if (completion.Status is not (BuildStatuses.Succeeded or BuildStatuses.Failed or BuildStatuses.Fault or BuildStatuses.Stopped or BuildStatuses.TimedOut))
        {
            throw AwsErrors.Validation($"status {completion.Status} does not end a build; send SUCCEEDED, FAILED, FAULT, STOPPED or TIMED_OUT.");
        }

        // Reports and a pipeline's output artifacts are stored as the server's own builds store them, while the agent
        // still holds the lease; storing a pipeline's outputs can still fail the build (an output the buildspec lacks).
        var held = await HoldAsync(agent, uuid, completion.LeaseToken, _ => null, cancellationToken);
        var (status, phases) = await outputs.StoreAsync(held, completion, line => AppendServerLine(uuid, line), cancellationToken);
        var completed = await HoldAsync(agent, uuid, completion.LeaseToken, build =>
        {
            var end = phases.LastOrDefault(p => p.PhaseType == BuildPhaseTypes.Completed)?.StartTime ?? time.GetUtcNow();
            var before = build.Phases.TakeWhile(p => p.PhaseType != BuildPhaseTypes.Provisioning);
            return build with
            {
                Phases = [.. before, .. phases.Where(p => p.PhaseType != BuildPhaseTypes.Completed), new BuildPhaseRecord(BuildPhaseTypes.Completed, end)],
                CurrentPhase = BuildPhaseTypes.Completed,
                Status = status,
                EndTime = end,
                ExportedVariables = completion.ExportedVariables,
                StopRequested = false,
            };
        }, cancellationToken);
        await CloseLogAsync(uuid);
        queue.Notify();
        return completed;
    }

    /// <summary>Writes one of a pipeline build's input artifacts to <paramref name="output"/> as a gzipped tar, while the agent holds the build.</summary>
    public async Task WriteInputAsync(BuildAgent agent, string uuid, AgentInputRequest request, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var build = await HoldAsync(agent, uuid, request.LeaseToken, _ => null, cancellationToken);
        await outputs.WriteInputAsync(build, request.Name ?? "", output, cancellationToken);
    }

    /// <summary>Takes the packaged artifacts of a build the agent holds (a gzipped tar), replacing any sent before.</summary>
    public async Task<int> ReceiveArtifactsAsync(BuildAgent agent, string uuid, string leaseToken, Stream archive, CancellationToken cancellationToken)
    {
        var build = await HoldAsync(agent, uuid, leaseToken, _ => null, cancellationToken);
        return await outputs.ReceiveArtifactsAsync(build, archive, cancellationToken);
    }

    /// <summary>A line the server adds to an agent build's log (after the agent's own, which came before the completion).</summary>
    private void AppendServerLine(string uuid, string text)
    {
        var gate = _logLocks.GetOrAdd(uuid, _ => new SemaphoreSlim(1, 1));
        gate.Wait();
        try
        {
            var now = time.GetUtcNow();
            _writers.GetOrAdd(uuid, logs.OpenWriter).Append(RunnerLines.Line(now, text), now);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Fails every agent build whose agent has not been heard from for <see cref="CodeBuildOptions.AgentLeaseTimeout"/>, with
    /// a line in its log saying the agent was lost. The runner check makes it final: the agent, if it wakes, is refused.
    /// </summary>
    public async Task ExpireLeasesAsync(CancellationToken cancellationToken)
    {
        foreach (var running in await builds.ListRunningAsync(cancellationToken))
        {
            var now = time.GetUtcNow();
            if (!AgentRunners.IsAgent(running.Runner) || (running.RunnerSeenAt is { } seen && now - seen <= options.AgentLeaseTimeout))
            {
                continue;
            }

            var agentId = AgentRunners.AgentOf(running.Runner!);
            var message = $"Build agent {agentId} stopped reporting for more than {options.AgentLeaseTimeout.TotalSeconds:0} seconds; the build was marked failed and will not run again. Start the build again.";
            var phase = running.Build.CurrentPhase;
            var failed = await builds.UpdateClaimedBuildAsync(running.Build.Uuid, running.Runner!, now, build => build
                .EndPhase(BuildStatuses.Failed, [new PhaseContext(LostCode, message)], now)
                .BeginPhase(BuildPhaseTypes.Finalizing, now)
                .Complete(BuildStatuses.Failed, now, BuildStatuses.Succeeded), cancellationToken);
            if (failed is not { IsComplete: true })
            {
                continue;
            }

            LogLost(logger, running.Build.Id, agentId);
            var gate = _logLocks.GetOrAdd(running.Build.Uuid, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken);
            try
            {
                var writer = _writers.GetOrAdd(running.Build.Uuid, logs.OpenWriter);
                writer.Append(RunnerLines.Line(now, RunnerLines.PhaseComplete(phase, BuildStatuses.Failed)), now);
                writer.Append(RunnerLines.Line(now, RunnerLines.PhaseContext(new PhaseContext(LostCode, message))), now);
            }
            finally
            {
                gate.Release();
            }

            await CloseLogAsync(running.Build.Uuid);
            queue.Notify();
        }
    }

    /// <summary>Log writers this server holds open (an agent's chunks came through it), for tests.</summary>
    internal int OpenLogWriters => _writers.Count;

    /// <summary>
    /// Closes the log writers this server opened for agent builds that are no longer running: with several servers, an
    /// agent that moved to another server completes its build there, and the writer its first chunks opened here would
    /// otherwise stay open. The build's log itself was completed by the server that took the completion.
    /// </summary>
    public async Task CloseFinishedLogsAsync(CancellationToken cancellationToken)
    {
        if (_writers.IsEmpty)
        {
            return;
        }

        var running = (await builds.ListRunningAsync(cancellationToken)).Select(r => r.Build.Uuid).ToHashSet(StringComparer.Ordinal);
        foreach (var uuid in _writers.Keys.Where(u => !running.Contains(u)))
        {
            var gate = _logLocks.GetOrAdd(uuid, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken);
            try
            {
                if (_writers.TryRemove(uuid, out var writer))
                {
                    await writer.DisposeAsync();
                }
            }
            finally
            {
                gate.Release();
            }

            _logLocks.TryRemove(uuid, out _);
        }
    }

    private async Task<AgentAssignment?> AssignAsync(BuildRecord claimed, BuildAgent agent, string lease, string runner, CancellationToken cancellationToken)
    {
        var settings = claimed.Settings;
        var now = time.GetUtcNow();
        if (claimed.WritesCloudWatchLogs)
        {
            await logGroups.EnsureBuildStreamAsync(claimed.Scope.AccountId, claimed.Scope.Region, claimed.LogGroupName, claimed.LogStreamName, claimed.Uuid, now, CancellationToken.None);
        }

        BuildCredentials credentials;
        try
        {
            credentials = await roles.AssumeAsync(settings.ServiceRole, BuildLifecycle.RoleSessionName(claimed.Uuid), TimeSpan.FromMinutes(settings.TimeoutInMinutes + 15), cancellationToken);
        }
        catch (BuildRoleException denied)
        {
            // As the server's own workers end it: PROVISIONING fails with CLIENT_ERROR, and the agent never sees the build.
            var context = new PhaseContext(BuildLifecycle.ClientError, denied.Message);
            await builds.UpdateClaimedBuildAsync(claimed.Uuid, runner, now, build => build
                .EndPhase(BuildStatuses.Failed, [context], now).BeginPhase(BuildPhaseTypes.Finalizing, now)
                .Complete(BuildStatuses.Failed, now, BuildStatuses.Succeeded), CancellationToken.None);
            var writer = _writers.GetOrAdd(claimed.Uuid, logs.OpenWriter);
            writer.Append(RunnerLines.Line(now, RunnerLines.PhaseComplete(BuildPhaseTypes.Provisioning, BuildStatuses.Failed)), now);
            writer.Append(RunnerLines.Line(now, RunnerLines.PhaseContext(context)), now);
            if (denied.Hint is { } hint)
            {
                writer.Append(RunnerLines.Line(now, "Hint: " + hint), now);
            }

            await CloseLogAsync(claimed.Uuid);
            return null;
        }

        return new AgentAssignment(
            claimed.Uuid, claimed.Id, lease, claimed.ProjectName, claimed.BuildNumber, claimed.Initiator, claimed.Scope.AccountId, claimed.Scope.Region,
            new AgentSource(settings.Source.Type, settings.Source.Location, claimed.SourceVersion, settings.Source.GitCloneDepth, settings.Source.InsecureSsl, settings.Source.Buildspec),
            settings.Environment.Type, settings.Environment.Image, settings.Environment.PrivilegedMode, settings.Environment.Variables,
            new AgentCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, credentials.Expiration),
            settings.TimeoutInMinutes, settings.ArtifactsType == "NO_ARTIFACTS", claimed.Phases[^1], (long)options.AgentLeaseTimeout.TotalSeconds)
        {
            ArtifactsPackaging = settings.ArtifactsPackaging,
            Caches = settings.CacheType != "NO_CACHE",
            Inputs = settings.Source.Type == SourceTypes.CodePipeline && claimed.Pipeline is { } pipeline ? [.. pipeline.Inputs.Select(i => i.Name)] : [],
        };
    }

    /// <summary>Applies <paramref name="change"/> while the agent holds the build's lease; a stale lease is refused with 409.</summary>
    private async Task<BuildRecord> HoldAsync(BuildAgent agent, string uuid, string leaseToken, Func<BuildRecord, BuildRecord?> change, CancellationToken cancellationToken)
    {
        var runner = AgentRunners.Runner(agent.Id, leaseToken ?? "");
        return await builds.UpdateClaimedBuildAsync(uuid, runner, time.GetUtcNow(), change, cancellationToken)
            ?? throw new AwsException("LeaseLost",
                $"Build agent {agent.Id} no longer holds build {uuid}: its lease token is stale (the lease ran out, or the build was completed). The agent must drop the build.", 409);
    }

    private async Task CloseLogAsync(string uuid)
    {
        if (_writers.TryRemove(uuid, out var writer))
        {
            await writer.DisposeAsync();
        }
        else
        {
            await logs.CompleteAsync(uuid, CancellationToken.None);
        }

        _logLocks.TryRemove(uuid, out _);
    }

    private static string RandomText(int bytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "Build agent {AgentId} registered with labels [{Labels}]")]
    private static partial void LogRegistered(ILogger logger, string agentId, string labels);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Build {BuildId} claimed by agent {AgentId}")]
    private static partial void LogClaimed(ILogger logger, string buildId, string agentId);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Build {BuildId} failed: agent {AgentId} was lost (no heartbeat within its lease)")]
    private static partial void LogLost(ILogger logger, string buildId, string agentId);
}
