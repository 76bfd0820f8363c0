using Cairn.Runner.Builds;
using Cairn.Runner.Phases;

namespace Cairn.Runner.Agents;

/// <summary>
/// `cairn agent`'s loop: claim a build over the server's long-poll, run it (<see cref="AgentBuildRun"/>), claim the next.
/// One build at a time; the server's 204 (nothing queued for these labels) just starts the next long-poll. A refusal of the
/// agent itself (revoked, unknown) ends the loop with that error; a server that cannot be reached is retried.
/// </summary>
public sealed class BuildAgentHost(AgentClient client, BuildAgentSettings settings, IBuildExecutor executor, Action<string> say)
{
    /// <summary>Builds run so far (for tests and the agent's own log).</summary>
    public int Completed { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(say);
        while (!cancellationToken.IsCancellationRequested)
        {
            AgentAssignment? assignment;
            try
            {
                assignment = await client.ClaimAsync(cancellationToken);
            }
            catch (AgentRequestException refused) when (refused.Status is 401 or 403)
            {
                throw;
            }
            catch (Exception error) when (error is HttpRequestException or AgentRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                say($"claim from {client.Server} failed ({error.Message}); trying again in {settings.RetryDelay.TotalSeconds:0.#} s");
                await Task.Delay(settings.RetryDelay, cancellationToken);
                continue;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (assignment is null)
            {
                continue;
            }

            say($"build {assignment.BuildId} claimed");
            using var run = new AgentBuildRun(client, settings, executor, assignment, say);
            var status = await run.RunAsync(cancellationToken);
            Completed++;
            say($"build {assignment.BuildId} ended: {status}");
        }
    }

    /// <summary>A cancellation whose stop comes from the caller (Ctrl-C, SIGTERM) as a STOPPED build.</summary>
    internal static BuildCancellation Linked(CancellationToken stopping, out CancellationTokenRegistration registration)
    {
        var cancellation = new BuildCancellation();
        registration = stopping.Register(cancellation.Stop);
        return cancellation;
    }
}
