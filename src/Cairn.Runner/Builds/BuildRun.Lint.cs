using Cairn.Core.Builds;
using Cairn.Core.Buildspec;

namespace Cairn.Runner.Builds;

internal sealed partial class BuildRun
{
    private readonly Dictionary<string, string> _commandProblems = new(StringComparer.Ordinal);

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

        // A command that fails on a path the linter found missing, or with variables nothing defines, gets that as its hint.
        var commands = document.Phases.SelectMany(p => p.Commands.Concat(p.Finally)).ToList();
        foreach (var finding in result.Diagnostics.Where(d => d.Code is BuildspecDiagnosticCodes.DirectoryNotFound or BuildspecDiagnosticCodes.PathNotFound))
        {
            if (commands.Find(c => c.Location == finding.Location) is { } command)
            {
                _commandProblems.TryAdd(command.Text, finding.Hint is { } hint ? $"{finding.Message}; {hint}" : finding.Message);
            }
        }

        foreach (var group in result.Diagnostics.Where(d => d.Code == BuildspecDiagnosticCodes.UndefinedVariable).GroupBy(d => d.Location))
        {
            if (commands.Find(c => c.Location == group.Key) is { } command)
            {
                var names = group.Select(d => d.Message.Split(' ')[0]).ToList();
                _commandProblems.TryAdd(command.Text, names.Count == 1
                    ? $"{names[0]} is never defined, so the command saw it empty (see the [WARN] lines in DOWNLOAD_SOURCE)"
                    : $"{string.Join(", ", names)} are never defined, so the command saw them empty (see the [WARN] lines in DOWNLOAD_SOURCE)");
            }
        }

        var file = _request.BuildspecPath is { } path ? Path.GetFileName(path) : "buildspec";
        var lint = _request.BuildspecPath is null ? "cairn lint" : $"cairn lint {file}";
        _sink.Say($"[WARN] The buildspec has {Count(result.ErrorCount, "error")} and {Count(result.WarningCount, "warning")} "
            + $"(`{lint}` shows the same); CodeBuild runs it anyway:");
        foreach (var line in BuildspecDiagnosticFormatter.FormatText(file, result.Diagnostics).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            _sink.Say($"[WARN] {line}");
        }
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
