using System.Text.RegularExpressions;

namespace Cairn.Runner.Diagnostics;

/// <summary>
/// Turns a failed command's output into one actionable hint: the closest existing path for "No such file or
/// directory" / "can't cd to" / "cannot open" / pip's and docker's wording, the missing program for exit status 127, a
/// missing execute bit for 126, an AWS client that went to AWS itself instead of Cairn; otherwise what the linter found
/// wrong with the command (<paramref name="knownProblems"/>, by command text: a missing path, variables nothing defines),
/// since a tool may fail on those without naming them.
/// </summary>
public sealed partial class CommandDiagnostics(string sourceDirectory, IReadOnlyDictionary<string, string>? knownProblems = null)
{
    /// <summary>A hint for a command that failed with <paramref name="exitCode"/>, or null when there is nothing to add.</summary>
    public string? Explain(string command, int exitCode, string output)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(output);
        if (exitCode == 0)
        {
            return null;
        }

        if (exitCode == 127)
        {
            var missing = CommandNotFound().Matches(output).Select(m => m.Groups["name"].Value.Trim()).LastOrDefault()
                ?? FirstWord(command);
            if (missing is not null)
            {
                return missing.Contains('/', StringComparison.Ordinal) && SuggestPath(missing) is { } path
                    ? $"command not found: {missing}; did you mean {path}?"
                    : $"command not found: {missing}";
            }
        }

        if (exitCode == 126 && PermissionDenied().Match(output) is { Success: true } denied)
        {
            var file = denied.Groups["path"].Value;
            if (File.Exists(Path.Combine(sourceDirectory, file)))
            {
                return $"{file} is not executable: add 'chmod +x {file}' before it, or run it as 'sh {file}'";
            }
        }

        if (AwsEndpointUnreachable().Match(output) is { Success: true } unreachable)
        {
            return $"{unreachable.Groups["url"].Value} is AWS itself, not Cairn: this client ignores AWS_ENDPOINT_URL (aws CLI before 2.13, "
                + "boto3 before 1.28, or one called by its full path past the build's aws on PATH). Give it the endpoint: "
                + "aws --endpoint-url \"$AWS_ENDPOINT_URL\" ..., boto3.client(..., endpoint_url=os.environ[\"AWS_ENDPOINT_URL\"]); or call plain `aws`, which the build sets up for Cairn";
        }

        foreach (var missingPath in MissingPaths(output))
        {
            if (SuggestPath(missingPath) is { } suggestion)
            {
                return $"{missingPath} does not exist; did you mean {suggestion}?";
            }
        }

        return knownProblems is not null && knownProblems.TryGetValue(command, out var problem) ? problem : null;
    }

    private string? SuggestPath(string path)
    {
        var fullRoot = Path.GetFullPath(sourceDirectory).TrimEnd('/');
        if (path.StartsWith('/'))
        {
            // Only paths inside the source tree can be corrected against it.
            return path.StartsWith(fullRoot + "/", StringComparison.Ordinal) ? PathSuggester.Suggest(fullRoot, path) : null;
        }

        return PathSuggester.Suggest(fullRoot, path);
    }

    private static IEnumerable<string> MissingPaths(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var match = MissingPathPatterns().Select(p => p.Match(line)).FirstOrDefault(m => m.Success);
            if (match is not null)
            {
                yield return match.Groups["path"].Value.Trim().Trim('\'', '"', '`');
            }
        }
    }

    private static Regex[] MissingPathPatterns() =>
    [
        CantCdTo(), CannotOpen(), QuotedNoSuchFile(), NoSuchFileQuoted(), DockerContext(), CantOpenFile(), Lstat(), UnquotedNoSuchFile(),
    ];

    private static string? FirstWord(string command)
    {
        var words = command.TrimStart().Split([' ', '\t', '\n', ';', '&', '|'], 2, StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 0 ? words[0] : null;
    }

    // bash: "...: line 1: foo: command not found"; dash: "...: 1: foo: not found".
    [GeneratedRegex(@"(?m)^.*?(?::\s*line \d+|: \d+)?:\s*(?<name>[^:\n]+): (?:command )?not found\s*$")]
    private static partial Regex CommandNotFound();

    // botocore: Could not connect to the endpoint URL: "https://sts.us-east-1.amazonaws.com/"
    [GeneratedRegex(@"Could not connect to the endpoint URL: ""?(?<url>https://[^""\s]*amazonaws\.com[^""\s]*)")]
    private static partial Regex AwsEndpointUnreachable();

    [GeneratedRegex(@"(?<path>[^\s:'""]+): Permission denied")]
    private static partial Regex PermissionDenied();

    [GeneratedRegex(@"can't cd to (?<path>.+?)\s*$")]
    private static partial Regex CantCdTo();

    [GeneratedRegex(@"cannot open (?<path>[^:]+): No such file")]
    private static partial Regex CannotOpen();

    [GeneratedRegex(@"'(?<path>[^']+)': No such file or directory")]
    private static partial Regex QuotedNoSuchFile();

    // pip: "ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'day14/app/requirements.txt'".
    [GeneratedRegex(@"No such file or directory: '(?<path>[^']+)'")]
    private static partial Regex NoSuchFileQuoted();

    // docker build: "unable to prepare context: path "day14/app" not found".
    [GeneratedRegex(@"unable to prepare context: path ""(?<path>[^""]+)"" not found")]
    private static partial Regex DockerContext();

    [GeneratedRegex(@"can't open file '(?<path>[^']+)'")]
    private static partial Regex CantOpenFile();

    [GeneratedRegex(@"(?i)lstat (?<path>\S+): no such file or directory")]
    private static partial Regex Lstat();

    [GeneratedRegex(@"(?:^|: )(?<path>[^:]+): No such file or directory")]
    private static partial Regex UnquotedNoSuchFile();
}
