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
        if (commands.Count == 0)
        {
            return null;
        }

        var outputs = new OutputTail[commands.Count];
        var results = await shell.RunSequenceAsync(commands, index =>
        {
            log.Write($"Running command {commands[index]}");
            return outputs[index] = new OutputTail(log.Output);
        }, cancellationToken);
        var result = results[^1];
        if (result.Succeeded)
        {
            return null;
        }

        var command = commands[results.Count - 1];
        var output = outputs[results.Count - 1];
        log.Write($"Command did not exit successfully {command} exit status {result.ExitCode}");
        var hint = diagnostics?.Explain(command, result.ExitCode, output?.Text ?? "");
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
}
