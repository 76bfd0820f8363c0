using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Cairn.EndToEnd.Tests.Infrastructure;
using Cairn.Runner.Processes;

namespace Cairn.EndToEnd.Tests.Tutorial;

/// <summary>
/// docs/tutorial.md as a reader runs it: its ```sh blocks, in order, in one bash session in a fresh temporary directory,
/// with the `cairn` built beside these tests first on PATH, a free port, and a password-protected registry started
/// here (the tutorial's own "run a registry" block is for readers who have none). Blocks marked ```sh fails are the
/// tutorial's deliberate mistake: they must fail; every other command must succeed.
/// </summary>
public sealed partial class TutorialTests
{
    private const string FailedMarker = "::tutorial-command-failed::";
    private const string MistakeMarker = "::tutorial-mistake-exit::";

    [GeneratedRegex(@"^```(?<info>[^\n]*)\n(?<body>.*?)^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();

    private static string TutorialPath => Path.Combine(SeedsFixture.RepositoryRoot(), "docs", "tutorial.md");

    /// <summary>The fenced blocks to run, in order: (expected to fail, text).</summary>
    private static List<(bool Fails, string Text)> Blocks(string markdown) =>
        Fence().Matches(markdown)
            .Select(m => (Info: m.Groups["info"].Value.Trim(), Body: m.Groups["body"].Value))
            .Where(b => b.Info is "sh" or "sh fails")
            .Select(b => (b.Info == "sh fails", b.Body))
            .ToList();

    [Fact]
    public async Task The_tutorial_marks_its_commands_its_one_deliberate_mistake_and_the_one_block_the_test_does_not_run()
    {
        var markdown = await File.ReadAllTextAsync(TutorialPath);
        var blocks = Blocks(markdown);

        Assert.True(blocks.Count >= 5, $"only {blocks.Count} ```sh blocks in docs/tutorial.md");
        Assert.Single(blocks, b => b.Fails);
        // The one command block the test does not run: starting a registry, which the test does itself.
        var notRun = Fence().Matches(markdown).Where(m => m.Groups["info"].Value.Trim() is "bash" or "shell" or "console").ToList();
        Assert.Single(notRun);
        Assert.Contains("docker-registry serve", notRun[0].Groups["body"].Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_command_of_the_tutorial_works_as_written_and_its_build_pushes_the_image_to_the_registry()
    {
        await DockerHost.RequireAsync();
        var blocks = Blocks(await File.ReadAllTextAsync(TutorialPath));
        var directory = Directory.CreateTempSubdirectory("cairn-tutorial-").FullName;
        await using var registry = await Registry.StartAsync();
        try
        {
            var script = new StringBuilder();
            script.Append("cd '").Append(directory).Append("'\n");
            script.Append("trap 'echo \"").Append(FailedMarker).Append(" exit $? from: $BASH_COMMAND\"; exit 1' ERR\n");
            foreach (var (fails, text) in blocks)
            {
                if (fails)
                {
                    script.Append("trap - ERR\n").Append(text).Append("echo \"").Append(MistakeMarker).Append("$?\"\n");
                    script.Append("trap 'echo \"").Append(FailedMarker).Append(" exit $? from: $BASH_COMMAND\"; exit 1' ERR\n");
                }
                else
                {
                    script.Append(text);
                }
            }

            var scriptPath = Path.Combine(directory, "tutorial.sh");
            await File.WriteAllTextAsync(scriptPath, script.ToString());

            var (exitCode, output, elapsed) = await RunBashAsync(scriptPath, directory, new Dictionary<string, string>
            {
                ["PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["CAIRN_SRC"] = SeedsFixture.RepositoryRoot(),
                ["REGISTRY"] = registry.Address,
                ["REGISTRY_USER"] = Registry.UserName,
                ["REGISTRY_PASSWORD"] = registry.Password,
                ["BASE_IMAGE"] = DockerHost.BaseImage,
            });

            Assert.True(exitCode == 0 && !output.Contains(FailedMarker, StringComparison.Ordinal),
                $"the tutorial's commands exited {exitCode} after {elapsed.TotalSeconds:F0} s:\n{output}");
            Assert.True(output.Contains(MistakeMarker, StringComparison.Ordinal) && !output.Contains(MistakeMarker + "0\n", StringComparison.Ordinal),
                $"the deliberate mistake did not fail:\n{output}");
            Assert.True(output.Contains("did you mean codebuild-service-role?", StringComparison.OrdinalIgnoreCase), $"no did-you-mean for the mistyped role:\n{output}");
            Assert.True(output.Contains("\"SUCCEEDED\"", StringComparison.Ordinal), $"the build did not succeed:\n{output}");
            Assert.True(Regex.IsMatch(output, @"^Build flask-app:[0-9a-f-]{36} SUCCEEDED in ", RegexOptions.Multiline), $"cairn build did not succeed:\n{output}");
            Assert.Contains($"{Registry.UserName}/sample-python-flask-app", await registry.CatalogAsync());
            Assert.Contains("latest", await registry.TagsAsync($"{Registry.UserName}/sample-python-flask-app"));
            Assert.False(output.Contains(registry.Password, StringComparison.Ordinal), "the registry password appears in the tutorial's output");
            Assert.True(elapsed < TimeSpan.FromMinutes(2), $"the tutorial took {elapsed.TotalSeconds:F0} s");
        }
        finally
        {
            var images = await ToolProcess.RunAsync("docker", ["images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", $"reference={registry.Address}/*/*"]);
            var tags = images.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (tags.Length > 0)
            {
                await ToolProcess.RunAsync("docker", ["rmi", "--force", .. tags]);
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Runs the script in its own process group with the reader's variables and none of this machine's AWS or Cairn
    /// settings; afterwards (or after 2 minutes) the whole group is ended, `cairn serve` included.
    /// </summary>
    private static async Task<(int ExitCode, string Output, TimeSpan Elapsed)> RunBashAsync(string script, string directory, Dictionary<string, string> variables)
    {
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { script },
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("CAIRN_ROOT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["AWS_CONFIG_FILE"] = Path.Combine(directory, "no-aws-config");
        start.Environment["PATH"] = AppContext.BaseDirectory.TrimEnd('/') + ":" + Environment.GetEnvironmentVariable("PATH");
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = "Tutorial", ["GIT_AUTHOR_EMAIL"] = "tutorial@example.com",
            ["GIT_COMMITTER_NAME"] = "Tutorial", ["GIT_COMMITTER_EMAIL"] = "tutorial@example.com",
        }.Concat(variables))
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = ProcessGroups.StartInNewGroup(start);
        process.StandardInput.Close();
        var output = new StringBuilder();
        void Collect(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.Append(e.Data).Append('\n');
                }
            }
        }

        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exitCode = -1;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            exitCode = process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            lock (output)
            {
                output.Append("(stopped after 2 minutes)\n");
            }
        }
        finally
        {
            await ProcessGroups.TerminateAsync(process.Id, TimeSpan.FromSeconds(5), CancellationToken.None);
        }

        var elapsed = clock.Elapsed;
        lock (output)
        {
            return (exitCode, output.ToString(), elapsed);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
