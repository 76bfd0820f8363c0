using System.Text.RegularExpressions;

namespace Cairn.Core.Parameters.Hygiene;

/// <summary>A buildspec line that passes a secret as a command-line argument (<paramref name="Line"/> 1-based; <paramref name="Shown"/> with literal values hidden).</summary>
public sealed record SecretArgument(int Line, string Shown, string Variable, string Reason, string Fix);

/// <summary>
/// Finds buildspec commands that put a secret on a command line, where masking the log cannot help: any process on the
/// host can read it from /proc, shells record it, tools echo their arguments. `docker login -p $X` instead of
/// `--password-stdin`, and <c>--password $X</c> / <c>-p$X</c> / <c>curl -u user:$X</c> with a variable that comes from
/// the Parameter Store or Secrets Manager.
/// </summary>
public static partial class BuildspecSecretArguments
{
    public static IReadOnlyList<SecretArgument> Find(string buildspec, IReadOnlySet<string> secretVariables)
    {
        ArgumentNullException.ThrowIfNull(buildspec);
        ArgumentNullException.ThrowIfNull(secretVariables);
        var found = new List<SecretArgument>();
        var lines = buildspec.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (DockerLoginPassword().Match(line) is { Success: true } login)
            {
                var argument = login.Groups["arg"].Value;
                var variable = VariableOf(argument) ?? "DOCKER_PASSWORD";
                var rest = DockerLoginPassword().Replace(line, m => m.Groups["before"].Value + m.Groups["after"].Value).Trim().TrimStart('-', ' ');
                var command = rest.StartsWith("docker login", StringComparison.Ordinal) ? rest : "docker login";
                found.Add(new SecretArgument(i + 1, Hide(line), variable,
                    "docker login takes the password as an argument (-p/--password): it is visible to every process on the host and in shell traces; docker itself warns about it",
                    $"echo \"${variable}\" | {command} --password-stdin"));
                continue;
            }

            foreach (Match m in SecretFlag().Matches(line))
            {
                var variable = VariableOf(m.Groups["arg"].Value);
                if (variable is not null && secretVariables.Contains(variable))
                {
                    found.Add(new SecretArgument(i + 1, Hide(line), variable,
                        $"${variable} (a secret) is passed as a command-line argument ({m.Groups["flag"].Value.Trim()}), visible to every process on the host",
                        "pass it on standard input or through a file (e.g. --password-stdin, --password-file, a config file written with umask 077)"));
                    break;
                }
            }
        }

        return found;
    }

    private static string? VariableOf(string argument)
    {
        var m = VariableReference().Match(argument);
        return m.Success ? m.Groups[1].Value : null;
    }

    /// <summary>The line with literal (non-variable) password arguments replaced by ***.</summary>
    private static string Hide(string line) =>
        SecretFlag().Replace(line, m => VariableOf(m.Groups["arg"].Value) is null ? m.Groups["flag"].Value + "***" : m.Value).Trim().TrimStart('-', ' ');

    [GeneratedRegex(@"(?<before>docker\s+login\b.*?)\s(?:-p|--password)(?:\s+|=)(?<arg>""[^""]*""|'[^']*'|\S+)(?<after>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex DockerLoginPassword();

    [GeneratedRegex(@"(?<flag>(?:\s--password(?:\s+|=)|\s-p\s*|\s-u\s+\S+?:|\s--token(?:\s+|=)|\s--secret(?:\s+|=)))(?<arg>""[^""]*""|'[^']*'|\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex SecretFlag();

    [GeneratedRegex(@"^[""']?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", RegexOptions.CultureInvariant)]
    private static partial Regex VariableReference();
}
