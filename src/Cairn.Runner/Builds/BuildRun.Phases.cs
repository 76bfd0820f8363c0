using Cairn.Core.Builds;
using System.Text;
using System.Text.RegularExpressions;
using Cairn.Core.Buildspec;
using Cairn.Runner.Diagnostics;
using Cairn.Runner.Phases;
using Cairn.Runner.Shell;

namespace Cairn.Runner.Builds;

internal sealed partial class BuildRun
{
    private static readonly BuildspecPhaseName[] CommandPhases =
        [BuildspecPhaseName.Install, BuildspecPhaseName.PreBuild, BuildspecPhaseName.Build, BuildspecPhaseName.PostBuild];

    /// <summary>
    /// INSTALL, PRE_BUILD, BUILD, POST_BUILD with CodeBuild's transitions: a failed INSTALL or PRE_BUILD skips the rest
    /// and UPLOAD_ARTIFACTS; a failed BUILD still runs POST_BUILD (with CODEBUILD_BUILD_SUCCEEDING=0) and a failed
    /// POST_BUILD still uploads; on-failure CONTINUE goes on to the next phase, RETRY runs the phase again first.
    /// Returns whether UPLOAD_ARTIFACTS comes next.
    /// </summary>
    private async Task<bool> RunCommandPhasesAsync()
    {
        var document = _document!;
        _shell = CreateShell(document);
        var runner = new PhaseRunner(_shell, _sink, new CommandDiagnostics(SourceDirectory, _commandProblems), _cancellation);
        foreach (var name in CommandPhases)
        {
            var phase = document.GetPhase(name);
            var outcome = await RunPhaseAsync(runner, name, phase);
            if (outcome.Status is BuildStatuses.TimedOut or BuildStatuses.Stopped)
            {
                _interrupted = true;
                return false;
            }

            if (outcome.Succeeded)
            {
                continue;
            }

            await MarkFailingAsync();
            if (phase?.OnFailure?.Action == OnFailureAction.Continue)
            {
                _sink.Say($"on-failure is CONTINUE: going on to the next phase");
                continue;
            }

            if (name is BuildspecPhaseName.Install or BuildspecPhaseName.PreBuild)
            {
                return false;
            }
        }

        await ExportVariablesAsync(document);
        return true;
    }

    private ICommandShell CreateShell(BuildspecDocument document)
    {
        var options = new ShellOptions
        {
            Shell = document.Env.Shell ?? "sh",
            WorkingDirectory = SourceDirectory,
            // The shell reads this dictionary each time it starts, so later changes (CODEBUILD_BUILD_SUCCEEDING) reach new shells.
            Variables = _environment!.Variables,
            InheritEnvironment = false,
            StopGracePeriod = _request.StopGracePeriod,
            ScriptDirectory = _scripts.Path,
        };
        // One shell host for the whole build (a sandbox hands the source over once); the build owns each shell, StopShellAsync disposes it.
        _shells ??= _request.Placement.Open();
        return _shells.Create(options, document.SharesOneShell);
    }

    /// <summary>Runs one phase, again as its on-failure RETRY form allows; the phase list records it once.</summary>
    private async Task<PhaseOutcome> RunPhaseAsync(PhaseRunner runner, BuildspecPhaseName name, BuildspecPhase? phase)
    {
        var request = new PhaseRequest(
            BuildPhaseTypes.Of(name),
            phase?.Commands.Select(c => c.Text).ToList() ?? [],
            phase?.Finally.Select(c => c.Text).ToList() ?? []);
        var retries = phase?.OnFailure?.EffectiveRetryCount ?? 0;
        var pattern = phase?.OnFailure?.RetryRegex;
        PhaseOutcome outcome;
        for (var attempt = 1; ; attempt++)
        {
            outcome = await runner.RunAsync(request, _cancellation.Token);
            if (outcome.Status != BuildStatuses.Failed || attempt > retries || !Matches(pattern, outcome))
            {
                break;
            }

            _sink.EndAttempt(outcome.Status, new PhaseContext(outcome.ContextStatusCode, outcome.ContextMessage));
            _sink.Say($"Retrying phase {request.Name} (retry {attempt} of {retries}): on-failure is {phase!.OnFailure!.Action.ToString().ToUpperInvariant()}");
        }

        // The hint, if any, was said with the failed command.
        _sink.EndPhase(outcome.Status, new PhaseContext(outcome.ContextStatusCode, outcome.ContextMessage), outcome.Hint, writeHint: false);
        return outcome;
    }

    /// <summary>RETRY-&lt;regex&gt; retries only when the failure's message matches (the whole message, or the failed command).</summary>
    private static bool Matches(Regex? pattern, PhaseOutcome outcome)
    {
        if (pattern is null)
        {
            return true;
        }

        try
        {
            return pattern.IsMatch(outcome.ContextMessage) || (outcome.Hint is { } hint && pattern.IsMatch(hint));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>From now on the build is failing: CODEBUILD_BUILD_SUCCEEDING=0 in the running shell and in any new one.</summary>
    private async Task MarkFailingAsync()
    {
        _failed = true;
        _environment!.Variables[BuildEnvironment.SucceedingVariable] = "0";
        if (_shell is ShellSession { ProcessGroupId: not null } session)
        {
            try
            {
                await session.RunAsync($"export {BuildEnvironment.SucceedingVariable}=0", Stream.Null, _cancellation.Token);
            }
            catch (OperationCanceledException) when (_cancellation.Token.IsCancellationRequested)
            {
                // The next phase reports the timeout or the stop.
            }
        }
    }

    /// <summary>Reads env.exported-variables from the shell after the last phase (not Parameter Store values, not AWS_*).</summary>
    private async Task ExportVariablesAsync(BuildspecDocument document)
    {
        var names = ExportableNames(document, out var warnings);
        foreach (var warning in warnings)
        {
            _sink.Say(warning);
        }

        if (names.Count == 0 || _shell is null)
        {
            return;
        }

        var file = Path.Combine(_scripts.Path, $"export-{Guid.NewGuid():N}");
        // Created owner-only before the shell writes to it: the values may be sensitive.
        File.WriteAllBytes(file, []);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // A sandbox under a root server runs the commands as the build's user, who could not open a root-only file.
        if (_request.Placement.CommandUser is { } user && Processes.LibC.Chown(file, user.UserId, user.GroupId) != 0)
        {
            File.Delete(file);
            _sink.Say("[WARN] Could not read the exported variables from the shell: the file for them could not be given to the build's user");
            return;
        }

        try
        {
            var arguments = string.Join(' ', names.Select(n => $"\"${{{n}-}}\""));
            var result = await _shell.RunAsync($"printf '%s\\0' {arguments} > {ShellProtocol.Quote(file)}", Stream.Null, _cancellation.Token);
            if (!result.Succeeded)
            {
                _sink.Say("[WARN] Could not read the exported variables from the shell");
                return;
            }

            var values = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)).Split('\0');
            var exported = names.Take(values.Length).Select((name, i) => new ExportedVariable(name, values[i])).ToList();
            _exported.AddRange(_sink.ExportVariables(exported));
        }
        catch (OperationCanceledException) when (_cancellation.Token.IsCancellationRequested)
        {
            _interrupted = true;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>env.exported-variables that may be exported (every executor's rule), and a warning for each left out.</summary>
    private List<string> ExportableNames(BuildspecDocument document, out List<string> warnings)
    {
        var names = new List<string>();
        warnings = [];
        foreach (var exported in document.Env.ExportedVariables.Select(v => v.Value).Distinct(StringComparer.Ordinal))
        {
            if (!IsShellName(exported))
            {
                warnings.Add($"[WARN] Not exporting '{exported}': not a variable name");
            }
            else if (exported.StartsWith("AWS_", StringComparison.Ordinal) || _environment!.Parameters.Any(p => p.Variable == exported))
            {
                warnings.Add($"[WARN] Not exporting {exported}: CodeBuild does not export AWS_* variables or Parameter Store values");
            }
            else
            {
                names.Add(exported);
            }
        }

        return names;
    }

    private static bool IsShellName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
