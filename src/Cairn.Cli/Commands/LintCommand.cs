using System.CommandLine;
using Cairn.Core.Buildspec;

namespace Cairn.Cli.Commands;

/// <summary>`cairn lint &lt;file&gt;`: report what CodeBuild would reject and what would not do what was meant; exit 1 on errors.</summary>
internal static class LintCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The buildspec to check (relative paths in its commands are checked against its directory)." };
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("lint", "Check a buildspec for errors and mistakes.") { file, format };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!;
            string yaml;
            try
            {
                yaml = await File.ReadAllTextAsync(path.FullName, cancellationToken);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"cairn lint: cannot read {path}: {error.Message}");
                return 2;
            }

            var options = new LintOptions { SourceDirectory = path.DirectoryName };
            var lint = await BuildspecLinter.LintAsync(yaml, options, cancellationToken);
            var name = path.ToString();
            if (result.GetValue(format) == "json")
            {
                Console.Out.Write(BuildspecDiagnosticFormatter.FormatJson(name, lint.Diagnostics));
            }
            else
            {
                Console.Out.Write(BuildspecDiagnosticFormatter.FormatText(name, lint.Diagnostics));
                Console.Out.WriteLine(lint.Diagnostics.Count == 0
                    ? $"{name}: no problems found"
                    : $"{name}: {Plural(lint.ErrorCount, "error")}, {Plural(lint.WarningCount, "warning")}");
            }

            return lint.HasErrors ? 1 : 0;
        });
        return command;
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
