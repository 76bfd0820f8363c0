using Cairn.Runner.Diagnostics;
using Cairn.Runner.Shell;

namespace Cairn.Runner.Phases;

/// <summary>
/// Runs one phase's commands and then its finally commands in the build's shell with CodeBuild's rules: commands run
/// in order and the first failure skips the rest; finally commands run after the commands even if one failed; the
/// phase succeeds only if the commands and the finally commands all succeed. Everything goes to the
/// <see cref="ContainerLog"/> in CodeBuild's words.
/// </summary>
public sealed class PhaseRunner(
    ICommandShell shell, ContainerLog log, CommandDiagnostics? diagnostics = null, BuildCancellation? cancellation = null)
{
    public const string CommandExecutionError = "COMMAND_EXECUTION_ERROR";

    public async Task<PhaseOutcome> RunAsync(PhaseRequest phase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phase);
        log.Write($"Entering phase {phase.Name}");
        PhaseOutcome outcome;
        try
        {
            var failure = await RunCommandsAsync(phase.Commands, cancellationToken);
            var finallyFailure = await RunCommandsAsync(phase.FinallyCommands, cancellationToken);
            outcome = failure ?? finallyFailure ?? new PhaseOutcome(PhaseStatus.Succeeded, "", "");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = cancellation?.Reason == PhaseStatus.TimedOut
                ? new PhaseOutcome(PhaseStatus.TimedOut, "BUILD_TIMED_OUT", "Build has timed out.")
                : new PhaseOutcome(PhaseStatus.Stopped, "BUILD_STOPPED", "Build was stopped.");
        }

        log.Write($"Phase complete: {phase.Name} State: {outcome.Status.ToCodeBuildName()}");
        log.Write($"Phase context status code: {outcome.ContextStatusCode} Message: {outcome.ContextMessage}");
        return outcome;
    }

    /// <summary>Runs commands until one fails; returns that failure, or null when all succeeded.</summary>
    private async Task<PhaseOutcome?> RunCommandsAsync(IReadOnlyList<string> commands, CancellationToken cancellationToken)
    {
        foreach (var command in commands)
        {
            log.Write($"Running command {command}");
            var output = new OutputTail(log.Output);
            var result = await shell.RunAsync(command, output, cancellationToken);
            if (result.Succeeded)
            {
                continue;
            }

            log.Write($"Command did not exit successfully {command} exit status {result.ExitCode}");
            var hint = diagnostics?.Explain(command, result.ExitCode, output.Text);
            if (hint is not null)
            {
                log.Write($"Hint: {hint}");
            }

            return new PhaseOutcome(
                PhaseStatus.Failed,
                CommandExecutionError,
                $"Error while executing command: {command}. Reason: exit status {result.ExitCode}",
                command,
                result.ExitCode,
                hint);
        }

        return null;
    }
}
