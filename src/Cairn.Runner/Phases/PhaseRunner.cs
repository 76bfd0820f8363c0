using Cairn.Core.Builds;
using Cairn.Runner.Diagnostics;
using Cairn.Runner.Events;
using Cairn.Runner.Shell;

namespace Cairn.Runner.Phases;

/// <summary>
/// Runs one attempt of a phase's commands and then its finally commands in the build's shell with CodeBuild's rules:
/// commands run in order and the first failure skips the rest; finally commands run after the commands even if one
/// failed; the phase succeeds only if the commands and the finally commands all succeed. It says what it runs and how a
/// command failed; starting and ending the phase (and its closing lines) are the caller's, through the sink.
/// </summary>
public sealed class PhaseRunner(
    ICommandShell shell, BuildEventSink sink, CommandDiagnostics? diagnostics = null, BuildCancellation? cancellation = null)
{
    public const string CommandExecutionError = "COMMAND_EXECUTION_ERROR";

    public async Task<PhaseOutcome> RunAsync(PhaseRequest phase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phase);
        sink.StartPhase(phase.Name, $"Entering phase {phase.Name}");
        try
        {
            var failure = await RunCommandsAsync(phase.Commands, cancellationToken);
            var finallyFailure = await RunCommandsAsync(phase.FinallyCommands, cancellationToken);
            var outcome = failure ?? finallyFailure ?? new PhaseOutcome(BuildStatuses.Succeeded, "", "");
            // A command that ended because the build was stopping (its signal arrived before the shell saw the stop) is the stop's doing.
            return !outcome.Succeeded && cancellationToken.IsCancellationRequested ? Interrupted() : outcome;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Interrupted();
        }
    }

    private PhaseOutcome Interrupted() => cancellation?.Reason == BuildStatuses.TimedOut
        ? new PhaseOutcome(BuildStatuses.TimedOut, "BUILD_TIMED_OUT", "Build has timed out.")
        : new PhaseOutcome(BuildStatuses.Stopped, "BUILD_STOPPED", "Build was stopped.");

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
            sink.Say($"Running command {commands[index]}");
            return outputs[index] = new OutputTail(sink.Output);
        }, cancellationToken);
        var result = results[^1];
        if (result.Succeeded)
        {
            return null;
        }

        var command = commands[results.Count - 1];
        var output = outputs[results.Count - 1];
        sink.Say($"Command did not exit successfully {command} exit status {result.ExitCode}");
        var hint = diagnostics?.Explain(command, result.ExitCode, output?.Text ?? "");
        if (hint is not null)
        {
            sink.Say($"Hint: {hint}");
        }

        return new PhaseOutcome(
            BuildStatuses.Failed,
            CommandExecutionError,
            $"Error while executing command: {command}. Reason: exit status {result.ExitCode}",
            command,
            result.ExitCode,
            hint);
    }
}
