using System.Diagnostics;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Build;

/// <summary>
/// A source tree for `cairn build`, stand-ins for docker and pip on PATH (they record what they were given), and a way
/// to run the built `cairn` executable against the fixture's data directory or endpoint.
/// </summary>
internal sealed class BuildWorkspace : IDisposable
{
    private readonly CairnFixture _cairn;
    private readonly string _root = Directory.CreateTempSubdirectory("cairn-build-cli-").FullName;

    public BuildWorkspace(CairnFixture cairn)
    {
        _cairn = cairn;
        Directory.CreateDirectory(Source);
        Directory.CreateDirectory(Bin);
        Stub("docker", """
            #!/bin/sh
            echo "docker $*"
            printf '%s\n' "$*" >> "$STUB_CALLS"
            if [ "$1" = login ]; then cat > "$STUB_CALLS.stdin"; echo "Login Succeeded"; fi
            """);
        Stub("pip", """
            #!/bin/sh
            printf 'pip %s\n' "$*" >> "$STUB_CALLS"
            test -f "$3" || { echo "ERROR: Could not open requirements file: [Errno 2] No such file or directory: '$3'"; exit 1; }
            echo "Successfully installed flask"
            """);
    }

    public string Source => Path.Combine(_root, "src");

    public string Calls => Path.Combine(_root, "calls.txt");

    public string LoginStdin => Calls + ".stdin";

    private string Bin => Path.Combine(_root, "bin");

    public void Write(string relativePath, string text)
    {
        var path = Path.Combine(Source, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>
    /// Runs `cairn build --source &lt;src&gt; &lt;arguments&gt;` (without --source when the arguments start with a source
    /// argument or hold --source) with --data of the fixture unless --endpoint-url (or --endpoint) is given.
    /// </summary>
    public async Task<ProcessResult> BuildAsync(params string[] arguments) => await BuildWithAsync(new Dictionary<string, string>(), arguments);

    public async Task<ProcessResult> BuildWithAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Start(environment, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await process.WaitForExitAsync(timeout.Token);
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts `cairn build` and leaves it running; the caller reads its output and waits for it.</summary>
    public Process Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        // Through env --default-signal=INT: a suite started in the background (`bash scripts/test.sh &`) inherits SIGINT as
        // ignored, and an ignored SIGINT stays ignored across exec, so Ctrl-C would never reach cairn build. A terminal's
        // foreground job, which these tests stand for, has it at its default.
        var start = new ProcessStartInfo("/usr/bin/env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cairn"));
        start.ArgumentList.Add("build");
        // A source given as the argument (`cairn build src`, relative to the workspace's root) or as --source replaces this one.
        if (!arguments.Contains("--source") && (arguments.Length == 0 || arguments[0].StartsWith('-')))
        {
            start.ArgumentList.Add("--source");
            start.ArgumentList.Add(Source);
        }

        if (!arguments.Contains("--endpoint") && !arguments.Contains("--endpoint-url"))
        {
            start.ArgumentList.Add("--data");
            start.ArgumentList.Add(_cairn.DataDirectory);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PATH"] = $"{Bin}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["STUB_CALLS"] = Calls;
        start.Environment["CAIRN_ROOT_ACCESS_KEY_ID"] = CairnFixture.RootKeyId;
        start.Environment["CAIRN_ROOT_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret;
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment.Remove("NO_COLOR");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start cairn");
        process.StandardInput.Close();
        return process;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Stub(string name, string script)
    {
        var path = Path.Combine(Bin, name);
        File.WriteAllText(path, script.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
