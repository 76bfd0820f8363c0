using Cairn.Core.Buildspec;

namespace Cairn.Runner.Builds;

internal sealed partial class BuildRun
{
    private readonly Dictionary<string, string> _pathProblems = new(StringComparer.Ordinal);

    /// <summary>
    /// What `cairn lint` would say about the buildspec, in the log before any command runs: what CodeBuild rejects has
    /// already failed the phase; the rest (keys CodeBuild ignores, undefined variables, missing paths, ...) is printed as
    /// [WARN] lines and the build goes on, as it would on CodeBuild.
    /// </summary>
    private void WriteLintFindings(BuildspecDocument document)
    {
        if (_request.Buildspec.Yaml is not { } yaml)
        {
            return;
        }

        var known = _request.ProjectVariables.Select(v => v.Name)
            .Concat(_request.OverrideVariables.Select(v => v.Name))
            .Concat(_request.SystemVariables.Keys)
            .ToHashSet(StringComparer.Ordinal);
        var result = BuildspecLinter.Lint(yaml, new LintOptions { SourceDirectory = SourceDirectory, KnownVariables = known });
        if (result.Diagnostics.Count == 0)
        {
            return;
        }

        // A command that fails on a path the linter found missing gets that finding as its hint.
        var commands = document.Phases.SelectMany(p => p.Commands.Concat(p.Finally)).ToList();
        foreach (var finding in result.Diagnostics.Where(d => d.Code is BuildspecDiagnosticCodes.DirectoryNotFound or BuildspecDiagnosticCodes.PathNotFound))
        {
            if (commands.Find(c => c.Location == finding.Location) is { } command)
            {
                _pathProblems.TryAdd(command.Text, finding.Hint is { } hint ? $"{finding.Message}; {hint}" : finding.Message);
            }
        }

        var file = _request.BuildspecPath is { } path ? Path.GetFileName(path) : "buildspec";
        _log.Write($"[WARN] The buildspec has {Count(result.ErrorCount, "error")} and {Count(result.WarningCount, "warning")} "
            + $"(`cairn lint {file}` shows the same); CodeBuild runs it anyway:");
        foreach (var line in BuildspecDiagnosticFormatter.FormatText(file, result.Diagnostics).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            _log.Write($"[WARN] {line}");
        }
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
