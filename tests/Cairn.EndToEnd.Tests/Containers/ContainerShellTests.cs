using Cairn.EndToEnd.Tests.Infrastructure;
using Cairn.Runner.Containers;
using Cairn.Runner.Shell;

namespace Cairn.EndToEnd.Tests.Containers;

/// <summary>The build shell inside a container of the project's image, with a real Docker engine.</summary>
public sealed class ContainerShellTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("cairn-container-").FullName;
    private readonly string _uuid = Guid.NewGuid().ToString("D");
    private readonly DockerEngine _docker = new();

    private string Source => Path.Combine(_root, "src");

    public async Task InitializeAsync()
    {
        await DockerHost.RequireAsync();
        Directory.CreateDirectory(Source);
        await File.WriteAllTextAsync(Path.Combine(Source, "hello.txt"), "from the source\n");
    }

    private ICommandShell NewShell(IReadOnlyDictionary<string, string>? variables = null) =>
        new ContainerShellFactory(new ContainerSettings(_uuid, DockerHost.BaseImage, [Source], false, Path.Combine(_root, "work")))
            .Create(new ShellOptions
            {
                WorkingDirectory = Source,
                Variables = variables ?? new Dictionary<string, string> { ["PATH"] = "/bin", ["CODEBUILD_SRC_DIR"] = Source },
                InheritEnvironment = false,
                StopGracePeriod = TimeSpan.FromMilliseconds(500),
            }, sharesOneShell: true);

    private static async Task<(int Exit, string Output)> RunAsync(ICommandShell shell, string command, CancellationToken cancellationToken = default)
    {
        using var output = new MemoryStream();
        var result = await shell.RunAsync(command, output, cancellationToken);
        return (result.ExitCode, System.Text.Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task Commands_run_in_the_image_with_the_source_at_CODEBUILD_SRC_DIR_and_state_carries_over()
    {
        await using var shell = NewShell();

        var first = await RunAsync(shell, "cat \"$CODEBUILD_SRC_DIR/hello.txt\"; cd /tmp; export GREETING=hi");
        var second = await RunAsync(shell, "pwd; echo $GREETING; cat /etc/passwd");
        var failed = await RunAsync(shell, "ls /no/such/dir");

        Assert.Equal((0, "from the source\n"), first);
        Assert.Equal((0, "/tmp\nhi\nroot:x:0:0:root:/root:/bin/sh\n"), second);
        Assert.NotEqual(0, failed.Exit);
    }

    [Fact]
    public async Task Variables_reach_the_container_without_being_on_its_command_line()
    {
        await using var shell = NewShell(new Dictionary<string, string> { ["PATH"] = "/bin", ["SECRET_VALUE"] = "s3cr3t value" });

        var result = await RunAsync(shell, "echo \"$SECRET_VALUE\"");
        var wrapper = await File.ReadAllTextAsync(Path.Combine(_root, "work", "bin", "sh"));

        Assert.Equal((0, "s3cr3t value\n"), result);
        Assert.DoesNotContain("s3cr3t", wrapper, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_syntax_error_fails_the_command_and_the_session_goes_on()
    {
        await using var shell = NewShell();

        var broken = await RunAsync(shell, "if then fi");
        var next = await RunAsync(shell, "echo still here");

        Assert.NotEqual(0, broken.Exit);
        Assert.Equal((0, "still here\n"), next);
    }

    [Fact]
    public async Task Removing_the_builds_containers_stops_a_running_command()
    {
        await using var shell = NewShell();
        using var cancel = new CancellationTokenSource();
        var running = RunAsync(shell, "echo started; sleep 300", cancel.Token);
        while ((await _docker.ListBuildContainersAsync(_uuid, CancellationToken.None)).Count == 0)
        {
            await Task.Delay(100);
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        var removed = await _docker.RemoveBuildContainersAsync(_uuid, CancellationToken.None);

        Assert.Equal(1, removed);
        Assert.Empty(await _docker.ListBuildContainersAsync(_uuid, CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_image_and_a_missing_cli_are_explained()
    {
        var missingImage = await _docker.EnsureImageAsync("cairn-e2e/does-not-exist:0", _ => { }, CancellationToken.None);
        var missingCli = await new DockerEngine("/nonexistent/docker").CheckEngineAsync(CancellationToken.None);

        Assert.Contains("cairn-e2e/does-not-exist:0 is not on the Cairn host", missingImage, StringComparison.Ordinal);
        Assert.Contains("docker CLI", missingCli, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _docker.RemoveBuildContainersAsync(_uuid, CancellationToken.None);
        Directory.Delete(_root, recursive: true);
    }
}
