namespace Cairn.Core.Buildspec;

public static partial class BuildspecLinter
{
    // Set by the shell or by every CodeBuild image; CODEBUILD_* and AWS_* are CodeBuild's own.
    private static readonly HashSet<string> ShellVariableNames = new(StringComparer.Ordinal)
    {
        "HOME", "PATH", "PWD", "OLDPWD", "USER", "LOGNAME", "SHELL", "HOSTNAME", "TERM", "LANG", "LANGUAGE", "LC_ALL", "TMPDIR",
        "IFS", "RANDOM", "LINENO", "SECONDS", "UID", "EUID", "PPID", "REPLY", "OPTARG", "OPTIND", "SHLVL", "PIPESTATUS",
        "BASH", "BASH_VERSION", "BASH_SOURCE", "BASHPID", "FUNCNAME", "HOSTTYPE", "OSTYPE", "MACHTYPE", "GROUPS", "DIRSTACK",
        "EPOCHSECONDS", "EPOCHREALTIME", "PS1", "PS2", "PS4", "CI", "DEBIAN_FRONTEND", "JAVA_HOME", "GOPATH", "GOROOT",
        "DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_BUILDKIT", "PYTHONPATH", "VIRTUAL_ENV", "NODE_ENV",
    };

    // The top-level keys CodeBuild reads; variables written under any other one are ignored.
    private static readonly HashSet<string> TopLevelKeys = new(StringComparer.Ordinal)
    {
        "version", "run-as", "env", "environment_variables", "proxy", "batch", "phases", "reports", "artifacts", "cache",
    };

    /// <summary>BS117: a variable a command expands that no layer, no earlier command and no CodeBuild default defines.</summary>
    private static void CheckVariables(
        BuildspecReader reader, BuildspecDocument document, LintOptions options,
        List<(BuildspecPhase Phase, BuildspecCommand Command, int Index, bool IsFinally)> steps, List<BuildspecDiagnostic> diagnostics)
    {
        var env = document.Env;
        var defined = new HashSet<string>(StringComparer.Ordinal);
        defined.UnionWith(env.Variables.Select(v => v.Name));
        defined.UnionWith(env.ParameterStore.Select(v => v.Name));
        defined.UnionWith(env.SecretsManager.Select(v => v.Name));
        defined.UnionWith(env.ExportedVariables.Select(v => v.Value));
        defined.UnionWith(options.KnownVariables);
        var ignoredKeys = IgnoredSectionKeys(reader.Root);
        var assigned = new HashSet<string>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, command, _, _) in steps)
        {
            if (!document.SharesOneShell)
            {
                assigned.Clear();
            }

            var text = command.Text;
            if (ShellVariables.DefinesUnknownVariables(text))
            {
                // Whatever a sourced file or eval sets is invisible here: stop rather than guess.
                return;
            }

            var here = ShellVariables.Assignments(text).ToList();
            foreach (var (name, offset) in ShellVariables.Uses(text))
            {
                if (defined.Contains(name) || assigned.Contains(name) || IsCodeBuildVariable(name) || ShellVariableNames.Contains(name)
                    || here.Exists(a => a.Name == name && a.Offset < offset) || !reported.Add(name))
                {
                    continue;
                }

                diagnostics.Add(Warning(BuildspecDiagnosticCodes.UndefinedVariable,
                    $"${name} is never defined, so the command sees it empty",
                    command.Location, UndefinedHint(name, defined, ignoredKeys)));
            }

            assigned.UnionWith(here.Select(a => a.Name));
        }
    }

    private static bool IsCodeBuildVariable(string name) =>
        name.StartsWith("CODEBUILD_", StringComparison.Ordinal) || name.StartsWith("AWS_", StringComparison.Ordinal);

    private static string UndefinedHint(string name, HashSet<string> defined, Dictionary<string, string> ignoredKeys)
    {
        if (ignoredKeys.TryGetValue(name, out var section))
        {
            return $"{name} is set under '{section}:', which CodeBuild ignores: move it under env.variables (plaintext) or env.parameter-store (secrets).";
        }

        if (DidYouMean.Suggest(name, [.. defined]) is { } suggestion && suggestion != name)
        {
            return $"did you mean ${suggestion}?";
        }

        return $"define it under env.variables ('{name}: value') or env.parameter-store, assign it in an earlier command, "
            + "or set it in the project's environment variables (cairn build: --env-file).";
    }

    /// <summary>Every mapping key under a top-level key CodeBuild ignores (the seeds' environment:), with that key.</summary>
    private static Dictionary<string, string> IgnoredSectionKeys(YamlTreeNode? root)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root is not YamlTreeMapping mapping)
        {
            return keys;
        }

        foreach (var (key, value) in mapping.Entries.Where(e => !TopLevelKeys.Contains(e.Key.Value)).Select(e => (e.Key.Value, e.Value)))
        {
            var pending = new Stack<YamlTreeNode>([value]);
            while (pending.Count > 0)
            {
                if (pending.Pop() is YamlTreeMapping nested)
                {
                    foreach (var entry in nested.Entries)
                    {
                        keys.TryAdd(entry.Key.Value, key);
                        pending.Push(entry.Value);
                    }
                }
            }
        }

        return keys;
    }
}
