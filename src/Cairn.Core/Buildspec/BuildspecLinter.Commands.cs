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

    /// <summary>
    /// Follows cd through the commands and reports every relative path a command needs that the source does not have:
    /// a cd (BS113), pip's requirements, docker build's context and Dockerfile, cp's sources, a script (BS118).
    /// </summary>
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

            var text = commands[i].Text;
            foreach (var argument in ShellPaths.Arguments(text))
            {
                var target = argument.Target;
                var from = target.FromRoot ? string.Empty : current;
                if (target.Path is null || from is null)
                {
                    current = argument.IsCd ? null : current;
                    continue;
                }

                var relative = Path.GetRelativePath(fullRoot, Path.GetFullPath(Path.Combine(fullRoot, from, target.Path))).Replace('\\', '/');
                if (relative.StartsWith("..", StringComparison.Ordinal))
                {
                    current = argument.IsCd ? null : current;
                    continue;
                }

                var full = Path.Combine(fullRoot, relative);
                if (Directory.Exists(full) || (!argument.MustBeDirectory && File.Exists(full)))
                {
                    current = argument.IsCd ? (relative == "." ? string.Empty : relative) : current;
                    continue;
                }

                var (existing, missing, isLast) = FirstMissing(fullRoot, relative);
                var createdEarlier = commands.Take(i).Any(c => ShellPaths.MayCreate(c.Text, missing))
                    || ShellPaths.MayCreate(text, missing, target.Offset);
                if (!createdEarlier)
                {
                    diagnostics.Add(PathDiagnostic(argument, commands[i].Location, fullRoot, from, existing, missing, isLast));
                }

                current = argument.IsCd ? null : current;
            }
        }
    }

    private static BuildspecDiagnostic PathDiagnostic(
        PathArgument argument, SourceLocation location, string fullRoot, string from, string existing, string missing, bool isLast)
    {
        var path = argument.Target.Path!;
        var directory = Path.Combine(fullRoot, existing);
        var directoriesOnly = argument.MustBeDirectory || !isLast;
        var siblings = (directoriesOnly ? Directory.GetDirectories(directory) : Directory.GetFileSystemEntries(directory))
            .Select(Path.GetFileName).OfType<string>().ToList();
        var suggestion = DidYouMean.Suggest(missing, siblings);
        var where = existing.Length == 0 ? "the source root" : existing;
        var kind = directoriesOnly ? "directory" : "file or directory";
        var check = $"check the path against the source tree (it is relative to {(from.Length == 0 ? "the source root" : from)}).";
        if (argument.IsCd)
        {
            return Warning(BuildspecDiagnosticCodes.DirectoryNotFound,
                $"cd {path}: {where} has no directory '{missing}', so the command fails with \"No such file or directory\"",
                location, suggestion is null ? check : $"did you mean 'cd {ReplaceSegment(path, missing, suggestion)}'?");
        }

        return Warning(BuildspecDiagnosticCodes.PathNotFound,
            $"{argument.Tool} {path}: {where} has no {kind} '{missing}', so the command fails",
            location, suggestion is null ? check : $"did you mean '{ReplaceSegment(path, missing, suggestion)}'?");
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

    private static (string Existing, string Missing, bool IsLast) FirstMissing(string root, string relative)
    {
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var existing = string.Empty;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = existing.Length == 0 ? parts[i] : $"{existing}/{parts[i]}";
            if (!Directory.Exists(Path.Combine(root, next)))
            {
                return (existing, parts[i], i == parts.Length - 1);
            }

            existing = next;
        }

        return (existing, parts.LastOrDefault() ?? relative, true);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    [GeneratedRegex(@"\bdocker\s+(?:image\s+)?push\b", RegexOptions.CultureInvariant)]
    private static partial Regex DockerPush();

    [GeneratedRegex(@"\bdocker\s+login\b|\bget-login\b|docker-credential-|\bcrane\s+auth\s+login\b", RegexOptions.CultureInvariant)]
    private static partial Regex DockerLogin();
}
