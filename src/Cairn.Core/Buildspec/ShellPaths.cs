namespace Cairn.Core.Buildspec;

/// <summary>
/// The arguments of a command that name files or directories that must already exist: cd, pip -r/-c, docker build's
/// context and -f, the sources of cp and mv, cat's files, the script a shell or interpreter runs, ./script.
/// </summary>
internal static class ShellPaths
{
    // Tools whose arguments only read: a name they mention is not something they create.
    private static readonly HashSet<string> Readers = new(StringComparer.Ordinal)
    {
        "cd", "pip", "pip3", "cat", "python", "python3", "node", "sh", "bash", "source", ".", "ls", "echo", "printf", "test", "[", "docker",
    };

    // docker build options that take a value (the next word unless written --option=value).
    private static readonly HashSet<string> DockerBuildValueOptions = new(StringComparer.Ordinal)
    {
        "-t", "--tag", "--build-arg", "--target", "--platform", "--label", "--network", "--secret", "--ssh", "--cache-from",
        "--cache-to", "--iidfile", "--progress", "-o", "--output", "--add-host", "--build-context", "--shm-size", "-m", "--memory",
        "--cpu-shares", "--cpuset-cpus", "--ulimit", "--isolation", "--metadata-file", "--builder", "--attest", "--annotation",
        "--memory-swap", "--cgroup-parent", "--allow", "--provenance", "--sbom",
    };

    /// <summary>Each path argument of the command, cds included, in order.</summary>
    public static IEnumerable<PathArgument> Arguments(string command)
    {
        foreach (var (text, offset) in ShellScript.SimpleCommands(command))
        {
            var words = Significant(ShellScript.Words(ShellScript.StripLeadingKeywords(text)));
            if (words.Count == 0)
            {
                continue;
            }

            foreach (var argument in ArgumentsOf(words, offset))
            {
                yield return argument;
            }
        }
    }

    /// <summary>True when the simple commands of <paramref name="command"/> before <paramref name="end"/> may create <paramref name="name"/>.</summary>
    public static bool MayCreate(string command, string name, int end = int.MaxValue)
    {
        foreach (var (text, offset) in ShellScript.SimpleCommands(command))
        {
            if (offset >= end || !text.Contains(name, StringComparison.Ordinal))
            {
                continue;
            }

            var words = Significant(ShellScript.Words(ShellScript.StripLeadingKeywords(text)));
            var redirects = text.Contains('>', StringComparison.Ordinal);
            var docker = words.Count > 0 && words[0] == "docker" && !(words.Count > 1 && words[1] is "build" or "buildx" or "image");
            if (words.Count == 0 || !Readers.Contains(words[0]) || redirects || docker)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<PathArgument> ArgumentsOf(List<string> words, int offset)
    {
        var tool = words[0];
        var rest = words.Skip(1).ToList();
        switch (tool)
        {
            case "cd":
                yield return new PathArgument("cd", ShellScript.Classify(rest.FirstOrDefault(w => !w.StartsWith('-') || w == "-"), offset), true, true);
                yield break;
            case "pip" or "pip3":
                foreach (var argument in Pip(rest, offset))
                {
                    yield return argument;
                }

                yield break;
            case "python" or "python3" when rest.Count > 1 && rest[0] == "-m" && rest[1] is "pip" or "pip3":
                foreach (var argument in Pip(rest.Skip(2).ToList(), offset))
                {
                    yield return argument;
                }

                yield break;
            case "docker":
                foreach (var argument in DockerBuild(rest, offset))
                {
                    yield return argument;
                }

                yield break;
            case "cp" or "mv":
                var operands = rest.Where(w => !w.StartsWith('-')).ToList();
                if (rest.Any(w => w is "-t" || w.StartsWith("--target-directory", StringComparison.Ordinal)))
                {
                    yield break;
                }

                foreach (var source in operands.Take(operands.Count - 1))
                {
                    yield return File(tool, source, offset, mustBeDirectory: false);
                }

                yield break;
            case "cat":
                foreach (var file in rest.Where(w => !w.StartsWith('-')))
                {
                    yield return File(tool, file, offset, mustBeDirectory: false);
                }

                yield break;
            case "sh" or "bash" or "python" or "python3" or "node" or "source" or ".":
                // "python -m module", "sh -c 'text'": no script file.
                if (rest.FirstOrDefault(w => !w.StartsWith('-') || w is "-m" or "-c") is { } script && script is not ("-m" or "-c"))
                {
                    yield return File(tool, script, offset, mustBeDirectory: false);
                }

                yield break;
            default:
                if (tool.Contains('/', StringComparison.Ordinal))
                {
                    yield return File("run", tool, offset, mustBeDirectory: false);
                }

                yield break;
        }
    }

    private static IEnumerable<PathArgument> Pip(List<string> words, int offset)
    {
        if (words.Count == 0 || words[0] != "install")
        {
            yield break;
        }

        for (var i = 1; i < words.Count; i++)
        {
            var (option, value) = OptionValue(words, ref i, ["-r", "--requirement", "-c", "--constraint"]);
            if (value is not null)
            {
                yield return File($"pip install {option}", value, offset, mustBeDirectory: false);
            }
        }
    }

    private static IEnumerable<PathArgument> DockerBuild(List<string> words, int offset)
    {
        var start = words.Count > 0 && words[0] == "build" ? 1
            : words.Count > 1 && words[0] is "buildx" or "image" && words[1] == "build" ? 2
            : -1;
        if (start < 0)
        {
            yield break;
        }

        string? context = null;
        string? dockerfile = null;
        for (var i = start; i < words.Count; i++)
        {
            var word = words[i];
            var (option, value) = OptionValue(words, ref i, ["-f", "--file"]);
            if (option is not null)
            {
                dockerfile = value;
            }
            else if (DockerBuildValueOptions.Contains(word))
            {
                i++;
            }
            else if (!word.StartsWith('-'))
            {
                context = word;
            }
        }

        if (context is not null && context != "-" && !context.Contains("://", StringComparison.Ordinal) && !context.StartsWith("git@", StringComparison.Ordinal))
        {
            yield return File("docker build context", context, offset, mustBeDirectory: true);
        }

        if (dockerfile is not null and not "-")
        {
            yield return File("docker build -f", dockerfile, offset, mustBeDirectory: false);
        }
    }

    /// <summary>The value of one of <paramref name="options"/> at <paramref name="i"/> (-r x, -rx, --requirement x, --requirement=x), moving past it.</summary>
    private static (string? Option, string? Value) OptionValue(List<string> words, ref int i, string[] options)
    {
        var word = words[i];
        foreach (var option in options)
        {
            if (word == option)
            {
                i++;
                return (option, i < words.Count ? words[i] : null);
            }

            if (option.StartsWith("--", StringComparison.Ordinal) && word.StartsWith(option + "=", StringComparison.Ordinal))
            {
                return (option, word[(option.Length + 1)..]);
            }

            if (option.Length == 2 && word.Length > 2 && word.StartsWith(option, StringComparison.Ordinal) && !word.StartsWith("--", StringComparison.Ordinal))
            {
                return (option, word[2..]);
            }
        }

        return (null, null);
    }

    private static PathArgument File(string tool, string path, int offset, bool mustBeDirectory) =>
        new(tool, ShellScript.Classify(path, offset), mustBeDirectory, false);

    /// <summary>The words without leading assignments, sudo/time/exec/command, and redirections.</summary>
    private static List<string> Significant(List<string> words)
    {
        var result = new List<string>();
        var skipNext = false;
        foreach (var word in words)
        {
            if (skipNext)
            {
                skipNext = false;
                continue;
            }

            if (word is ">" or ">>" or "<" or "2>" or "2>>" or "&>" or "<<" or "<<<")
            {
                skipNext = true;
                continue;
            }

            if (word.StartsWith('>') || word.StartsWith('<') || (word.Length > 1 && char.IsAsciiDigit(word[0]) && word[1] == '>'))
            {
                continue;
            }

            if (result.Count == 0 && (word is "sudo" or "time" or "exec" or "command" or "nohup" || IsAssignment(word)))
            {
                continue;
            }

            result.Add(word);
        }

        return result;
    }

    private static bool IsAssignment(string word) =>
        word.IndexOf('=', StringComparison.Ordinal) is var equals and > 0
        && (char.IsAsciiLetter(word[0]) || word[0] == '_')
        && word[..equals].All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
