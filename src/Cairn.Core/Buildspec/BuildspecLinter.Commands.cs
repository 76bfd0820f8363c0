using System.Text.RegularExpressions;

namespace Cairn.Core.Buildspec;

public static partial class BuildspecLinter
{
    private static void CheckCommands(BuildspecReader reader, BuildspecDocument document, LintOptions options, List<BuildspecDiagnostic> diagnostics)
    {
        // Run order: phases in order, each phase's commands then its finally.
        var steps = document.Phases
            .SelectMany(phase => phase.Commands.Select((command, index) => (Phase: phase, Command: command, Index: index, IsFinally: false))
                .Concat(phase.Finally.Select((command, index) => (Phase: phase, Command: command, Index: index, IsFinally: true))))
            .ToList();

        foreach (var step in steps.Where(s => s.Command.IsBlock))
        {
            if (ShellScript.FirstHiddenFailure(step.Command.Text) is { } hidden)
            {
                diagnostics.Add(Warning(BuildspecDiagnosticCodes.MultiLineCommandHidesFailures,
                    $"multi-line command in {step.Phase.YamlName}: only its last line's exit status counts, so a failure of '{Shorten(hidden)}' would go unnoticed",
                    step.Command.Location, "start the block with 'set -e' so any failing line fails the command, or split it into one '- command' per line."));
            }
        }

        var loginSeen = false;
        var loginReported = false;
        for (var i = 0; i < steps.Count; i++)
        {
            var (phase, command, _, _) = steps[i];
            if (DockerLogin().IsMatch(command.Text))
            {
                loginSeen = true;
            }

            if (!DockerPush().IsMatch(command.Text))
            {
                continue;
            }

            if (!loginSeen && !loginReported)
            {
                loginReported = true;
                diagnostics.Add(Warning(BuildspecDiagnosticCodes.DockerPushWithoutLogin,
                    "docker push with no docker login before it: the registry will refuse the push (\"denied: requested access to the resource is denied\")",
                    command.Location,
                    "log in first, e.g. in pre_build: - echo \"$DOCKER_REGISTRY_PASSWORD\" | docker login --username \"$DOCKER_REGISTRY_USERNAME\" --password-stdin \"$DOCKER_REGISTRY_URL\" (with the credentials from env.parameter-store)."));
            }

            if (phase.Name == BuildspecPhaseName.PostBuild && !IsGuarded(steps, i))
            {
                diagnostics.Add(Warning(BuildspecDiagnosticCodes.UnguardedDockerPush,
                    "docker push in post_build runs even when the build phase failed (CodeBuild still runs post_build, with CODEBUILD_BUILD_SUCCEEDING=0), so a broken image gets pushed",
                    command.Location,
                    "make '- test \"$CODEBUILD_BUILD_SUCCEEDING\" = 1' the first post_build command, or write '- if [ \"$CODEBUILD_BUILD_SUCCEEDING\" = 1 ]; then docker push ...; fi', or push in the build phase."));
            }
        }

        CheckVariables(reader, document, options, steps, diagnostics);
        if (options.SourceDirectory is { } root && Directory.Exists(root))
        {
            CheckDirectories(document, steps.Select(s => s.Command).ToList(), root, diagnostics);
        }
    }

    // Guarded when this command or an earlier one of the same post_build phase tests CODEBUILD_BUILD_SUCCEEDING.
    private static bool IsGuarded(List<(BuildspecPhase Phase, BuildspecCommand Command, int Index, bool IsFinally)> steps, int pushIndex)
    {
        var phase = steps[pushIndex].Phase;
        for (var i = pushIndex; i >= 0 && steps[i].Phase == phase; i--)
        {
            if (steps[i].Command.Text.Contains("CODEBUILD_BUILD_SUCCEEDING", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Follows cd through the commands and reports a cd into a directory the source does not have.</summary>
    private static void CheckDirectories(BuildspecDocument document, List<BuildspecCommand> commands, string root, List<BuildspecDiagnostic> diagnostics)
    {
        var fullRoot = Path.GetFullPath(root);
        string? current = string.Empty;
        for (var i = 0; i < commands.Count; i++)
        {
            if (!document.SharesOneShell)
            {
                current = string.Empty;
            }

            foreach (var target in ShellScript.CdTargets(commands[i].Text))
            {
                var from = target.FromRoot ? string.Empty : current;
                if (target.Path is null || from is null)
                {
                    current = null;
                    continue;
                }

                var relative = Path.GetRelativePath(fullRoot, Path.GetFullPath(Path.Combine(fullRoot, from, target.Path))).Replace('\\', '/');
                if (relative.StartsWith("..", StringComparison.Ordinal))
                {
                    current = null;
                    continue;
                }

                if (Directory.Exists(Path.Combine(fullRoot, relative)))
                {
                    current = relative == "." ? string.Empty : relative;
                    continue;
                }

                var (existing, missing) = FirstMissing(fullRoot, relative);
                var text = commands[i].Text;
                var createdEarlier = commands.Take(i).Any(c => c.Text.Contains(missing, StringComparison.Ordinal))
                    || text[..target.Offset].Contains(missing, StringComparison.Ordinal);
                if (!createdEarlier)
                {
                    var siblings = Directory.GetDirectories(Path.Combine(fullRoot, existing)).Select(Path.GetFileName).OfType<string>().ToList();
                    var suggestion = DidYouMean.Suggest(missing, siblings);
                    var where = existing.Length == 0 ? "the source root" : existing;
                    diagnostics.Add(Warning(BuildspecDiagnosticCodes.DirectoryNotFound,
                        $"cd {target.Path}: {where} has no directory '{missing}', so the command fails with \"No such file or directory\"",
                        commands[i].Location,
                        suggestion is null
                            ? $"check the path against the source tree (it is relative to {(from.Length == 0 ? "the source root" : from)})."
                            : $"did you mean 'cd {ReplaceSegment(target.Path, missing, suggestion)}'?"));
                }

                current = null;
            }
        }
    }

    private static string ReplaceSegment(string path, string segment, string replacement)
    {
        var parts = path.Split('/');
        var index = Array.IndexOf(parts, segment);
        if (index >= 0)
        {
            parts[index] = replacement;
        }

        return string.Join('/', parts);
    }

    private static (string Existing, string Missing) FirstMissing(string root, string relative)
    {
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var existing = string.Empty;
        foreach (var part in parts)
        {
            var next = existing.Length == 0 ? part : $"{existing}/{part}";
            if (!Directory.Exists(Path.Combine(root, next)))
            {
                return (existing, part);
            }

            existing = next;
        }

        return (existing, parts.LastOrDefault() ?? relative);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    [GeneratedRegex(@"\bdocker\s+(?:image\s+)?push\b", RegexOptions.CultureInvariant)]
    private static partial Regex DockerPush();

    [GeneratedRegex(@"\bdocker\s+login\b|\bget-login\b|docker-credential-|\bcrane\s+auth\s+login\b", RegexOptions.CultureInvariant)]
    private static partial Regex DockerLogin();
}
