namespace Cairn.Deploy.Swarm;

/// <summary>
/// One image update of one swarm service, start to end: start the rolling, health-gated update, follow it until Swarm
/// says it completed or rolled back, and say why when it did not take. When the caller gives up (cancellation, or the
/// deployment timeout) while the update is still running, the service is rolled back to the image it ran before, so no
/// half-applied deploy is left behind.
/// </summary>
public sealed class SwarmDeployment(SwarmClient swarm, TimeProvider time)
{
    /// <summary>How long after each new task starts Swarm watches it (and its health check) before updating the next.</summary>
    public static readonly TimeSpan Monitor = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>How long after Swarm says an update or rollback completed its tasks may take to run.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMinutes(2);

    /// <summary>Updates <paramref name="service"/> (as inspected just before) to <paramref name="image"/> and waits up to <paramref name="timeout"/>.</summary>
    public async Task<SwarmDeployResult> RunAsync(SwarmService service, string image, TimeSpan timeout, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(log);
        log($"Updating service {service.Name} from {service.Image} to {image} (rolling, rolled back if a new task fails or turns unhealthy within {Monitor.TotalSeconds:0}s)");
        var update = await swarm.UpdateImageAsync(service.Name, image, Monitor, cancellationToken);
        if (!update.Succeeded)
        {
            return SwarmDeployResult.Failed(service.Image, $"docker service update was refused: {update.LastLine}", rolledBack: false);
        }

        foreach (var warning in update.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !IsId(l) && l != service.Name))
        {
            log(warning);
        }

        var started = await swarm.InspectAsync(service.Name, cancellationToken) ?? throw new InvalidOperationException($"service {service.Name} disappeared during the deploy");
        if (started.Image == service.Image)
        {
            log($"Service {service.Name} already runs {image}: nothing to update");
            return SwarmDeployResult.Deployed(started.Image, service.Image);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await FollowAsync(service, started.Image, log, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            await RollBackIfUpdatingAsync(service.Name, log);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return SwarmDeployResult.Failed(service.Image,
                $"the update did not finish within the deployment timeout ({timeout.TotalMinutes:0} minutes), so Cairn rolled service {service.Name} back to {service.Image}; "
                + "raise DeploymentTimeout (at most 60) or look at `docker service ps --no-trunc " + service.Name + "` for tasks that never start",
                rolledBack: true);
        }
    }

    private async Task<SwarmDeployResult> FollowAsync(SwarmService before, string pinned, Action<string> log, CancellationToken cancellationToken)
    {
        string? lastState = null;
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            var now = await swarm.InspectAsync(before.Name, cancellationToken) ?? throw new InvalidOperationException($"service {before.Name} was removed during the deploy");
            var ours = now.UpdateStartedAt is { } at && (before.UpdateStartedAt is null || at > before.UpdateStartedAt);
            if (ours && now.UpdateState != lastState)
            {
                log($"Swarm: {now.UpdateState} ({now.UpdateMessage})");
                lastState = now.UpdateState;
            }

            foreach (var task in await swarm.TasksAsync(before.Name, cancellationToken))
            {
                var line = $"{task.Name} {task.Image}: {task.CurrentState.Split(' ')[0]}{(task.Error.Length > 0 ? " (" + task.Error + ")" : "")}";
                if (!seen.TryGetValue(task.Id, out var previous) || previous != line)
                {
                    seen[task.Id] = line;
                    if (previous is not null || !task.DesiredState.Equals("Shutdown", StringComparison.OrdinalIgnoreCase))
                    {
                        log("Task " + line);
                    }
                }
            }

            switch (ours ? now.UpdateState : null)
            {
                case "completed":
                    await WaitForRunningTasksAsync(before.Name, now.Image, log, cancellationToken);
                    return SwarmDeployResult.Deployed(now.Image, before.Image);
                case "rollback_completed":
                    var why = await WhyAsync(before, pinned, now, cancellationToken);
                    var back = await WaitForRunningTasksAsync(before.Name, now.Image, log, cancellationToken)
                        ? string.Empty
                        : $", whose tasks were not all running {Settle.TotalSeconds:0}s later (see `docker service ps --no-trunc {before.Name}`)";
                    return SwarmDeployResult.Failed(now.Image, why + $"; Swarm rolled service {before.Name} back to {now.Image}{back}", rolledBack: true);
                case "paused":
                case "rollback_paused":
                    return SwarmDeployResult.Failed(now.Image,
                        await WhyAsync(before, pinned, now, cancellationToken) + $"; Swarm paused the update ({now.UpdateMessage}) and service {before.Name} now runs {now.Image}: "
                        + $"`docker service rollback {before.Name}` restores the previous image", rolledBack: false);
            }

            await Task.Delay(Poll, time, cancellationToken);
        }
    }

    /// <summary>
    /// Waits until every task the service wants running runs <paramref name="image"/> (with a health check, Swarm says
    /// Running only once it is healthy). Swarm marks a stop-first update or rollback completed when the last task is
    /// replaced, not when it runs: without this wait a failed deploy's service could still be starting the previous
    /// image, and refuse connections, when the pipeline says it was rolled back. False when they did not within
    /// <see cref="Settle"/>.
    /// </summary>
    private async Task<bool> WaitForRunningTasksAsync(string service, string image, Action<string> log, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + Settle;
        while (true)
        {
            var wanted = (await swarm.TasksAsync(service, cancellationToken))
                .Where(t => t.DesiredState.Equals("Running", StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (wanted.Count > 0 && wanted.All(t => Unpinned(t.Image) == Unpinned(image) && t.CurrentState.StartsWith("Running", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }

            if (time.GetUtcNow() >= until)
            {
                log($"Service {service}: tasks still not running {image} after {Settle.TotalSeconds:0}s: "
                    + string.Join("; ", wanted.Select(t => $"{t.Name} {t.Image}: {t.CurrentState.Split(' ')[0]}")));
                return false;
            }

            await Task.Delay(Poll, time, cancellationToken);
        }
    }

    /// <summary>Why the new image did not take: the errors of its failed tasks, or Swarm's message.</summary>
    private async Task<string> WhyAsync(SwarmService before, string pinned, SwarmService now, CancellationToken cancellationToken)
    {
        var failed = (await swarm.TasksAsync(before.Name, cancellationToken))
            .Where(t => t.Image == pinned || Unpinned(t.Image) == Unpinned(pinned))
            .Where(t => t.Error.Length > 0 || t.CurrentState.StartsWith("Failed", StringComparison.OrdinalIgnoreCase) || t.CurrentState.StartsWith("Rejected", StringComparison.OrdinalIgnoreCase))
            .Select(t => $"{t.Name} {t.CurrentState.Split(' ')[0]}{(t.Error.Length > 0 ? ": " + t.Error : "")}")
            .Distinct()
            .ToList();
        var what = failed.Count > 0 ? string.Join("; ", failed) : now.UpdateMessage ?? "Swarm gave no reason";
        var hint = failed.Any(f => f.Contains("unhealthy", StringComparison.OrdinalIgnoreCase))
            ? " (the image's HEALTHCHECK failed: run the image locally and check what its health check calls)"
            : failed.Any(f => f.Contains("No such image", StringComparison.OrdinalIgnoreCase) || f.Contains("pull", StringComparison.OrdinalIgnoreCase))
                ? " (the swarm could not pull the image: check that it was pushed and that the cluster's registration names this registry with working credentials)"
                : string.Empty;
        return $"the new image {pinned} did not become healthy: {what}{hint}";
    }

    private async Task RollBackIfUpdatingAsync(string service, Action<string> log)
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var now = await swarm.InspectAsync(service, grace.Token);
            if (now?.UpdateState is "updating" or "paused")
            {
                var rollback = await swarm.RollbackAsync(service, grace.Token);
                log(rollback.Succeeded
                    ? $"Stopped waiting: rolling service {service} back to {now.PreviousImage ?? "its previous image"}"
                    : $"Stopped waiting, and the rollback of service {service} was refused: {rollback.LastLine}");
            }
        }
        catch (OperationCanceledException)
        {
            log($"Stopped waiting; the swarm did not answer within 30s, so service {service} is as Swarm left it");
        }
    }

    private static string Unpinned(string image) => image.Split('@')[0];

    private static bool IsId(string line) => line.Length >= 20 && line.All(char.IsAsciiLetterOrDigit);
}

/// <summary>How a swarm deploy ended: the image the service runs now, the one before, and why it failed.</summary>
public sealed record SwarmDeployResult(bool Succeeded, string Image, string? PreviousImage, string? Reason, bool RolledBack)
{
    public static SwarmDeployResult Deployed(string image, string previous) => new(true, image, previous, null, false);

    public static SwarmDeployResult Failed(string image, string reason, bool rolledBack) => new(false, image, null, reason, rolledBack);

    /// <summary>The digest Swarm pinned (<c>image:tag@sha256:...</c>), when the registry told it.</summary>
    public string? Digest => Image.Contains('@', StringComparison.Ordinal) ? Image[(Image.IndexOf('@', StringComparison.Ordinal) + 1)..] : null;
}
