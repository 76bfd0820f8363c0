using Cairn.Core.Buildspec;

namespace Cairn.Runner.Builds;

internal sealed partial class BuildRun
{
    /// <summary>
    /// What `cairn lint` would say about the buildspec, in the log before any command runs: what CodeBuild rejects has
    /// already failed the phase; the rest (keys CodeBuild ignores, undefined variables, missing paths, ...) is printed as
    /// [WARN] lines and the build goes on, as it would on CodeBuild.
    /// </summary>
    private void WriteLintFindings()
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
