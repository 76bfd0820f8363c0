using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cairn.EndToEnd.Tests.Infrastructure;
using Cairn.Runner.Processes;

namespace Cairn.EndToEnd.Tests.Install;

/// <summary>
/// The install path that needs no .NET SDK: artifacts/cairn from scripts/publish.sh (scripts/test.sh publishes it
/// before the tests run), alone and as the image the Dockerfile builds.
/// </summary>
public sealed class PublishedCairnTests
{
    private const string KeyId = "AKIACAIRNINSTALLTEST";
    private const string Secret = "install/test/secret/key/0123456789abcdef";

    [Fact]
    public async Task The_published_cairn_runs_from_an_empty_directory_with_no_dotnet_on_PATH_and_serves_signed_requests()
    {
        var cairn = PublishedBinary();
        var empty = Directory.CreateTempSubdirectory("cairn-empty-").FullName;
        try
        {
            // No dotnet, no DOTNET_ROOT, a fresh extraction directory: the file must carry the runtime and libe_sqlite3.so.
            var environment = new Dictionary<string, string?>
            {
                ["PATH"] = "/usr/bin:/bin",
                ["DOTNET_ROOT"] = null,
                ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(empty, ".extract"),
            };
            var version = await ToolProcess.RunAsync(cairn, ["--version"], empty, environment);
            Assert.True(version.Succeeded, version.Output);
            Assert.Matches(@"^\d+\.\d+\.\d+", version.Output.Trim());

            var port = FreePort();
            var start = new ProcessStartInfo(cairn) { WorkingDirectory = empty, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in environment)
            {
                if (value is null)
                {
                    start.Environment.Remove(name);
                }
                else
                {
                    start.Environment[name] = value;
                }
            }

            start.Environment["CAIRN_ROOT_ACCESS_KEY_ID"] = KeyId;
            start.Environment["CAIRN_ROOT_SECRET_ACCESS_KEY"] = Secret;
            using var server = Process.Start(start)!;
            var stdout = server.StandardOutput.ReadToEndAsync();
            var stderr = server.StandardError.ReadToEndAsync();
            try
            {
                var aws = new AwsCli($"http://127.0.0.1:{port}", KeyId, Secret);
                await WaitUntilServingAsync(aws, server);
                await aws.OkAsync("ssm", "put-parameter", "--name", "installed", "--value", "yes", "--type", "SecureString");
                var read = await aws.OkAsync("ssm", "get-parameter", "--name", "installed", "--with-decryption");
                Assert.Equal("yes", read["Parameter"]!["Value"]!.GetValue<string>());
            }
            finally
            {
                using (var term = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                {
                    await term.WaitForExitAsync();
                }

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await server.WaitForExitAsync(timeout.Token);
            }

            Assert.True(server.ExitCode == 0, $"cairn serve exited {server.ExitCode}\n{await stdout}\n{await stderr}");
            Assert.True(File.Exists(Path.Combine(empty, ".cairn", "cairn.db")), "the database goes to ./.cairn of the empty directory");
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task The_Dockerfile_builds_from_a_local_base_image_and_the_container_serves_signed_requests()
    {
        PublishedBinary();
        await DockerHost.RequireAsync();
        var tag = "cairn-e2e/cairn:test";
        var build = await ToolProcess.RunAsync("bash", [Path.Combine(RepositoryRoot(), "scripts", "docker-image.sh"), tag]);
        Assert.True(build.Succeeded, $"scripts/docker-image.sh failed: {build.Output}");

        var name = $"cairn-install-{Guid.NewGuid():N}";
        var run = await ToolProcess.RunAsync("docker", [
            "run", "-d", "--name", name, "-p", "127.0.0.1::4566",
            "-e", $"CAIRN_ROOT_ACCESS_KEY_ID={KeyId}", "-e", $"CAIRN_ROOT_SECRET_ACCESS_KEY={Secret}", tag]);
        Assert.True(run.Succeeded, run.Output);
        try
        {
            var port = await ToolProcess.RunAsync("docker", ["port", name, "4566/tcp"]);
            Assert.True(port.Succeeded, port.Output);
            var hostPort = port.Output.Split('\n')[0].Trim().Split(':')[^1];
            var aws = new AwsCli($"http://127.0.0.1:{hostPort}", KeyId, Secret);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            CliResult identity;
            while ((identity = await aws.RunAsync("sts", "get-caller-identity")).ExitCode != 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }

            var logs = await ToolProcess.RunAsync("docker", ["logs", name]);
            Assert.True(identity.ExitCode == 0, $"{identity.Stderr}\ncontainer log:\n{logs.Output}");
            Assert.Contains("arn:aws:iam::000000000000:root", identity.Stdout, StringComparison.Ordinal);
            Assert.Contains("Cairn is listening on http://0.0.0.0:4566", logs.Output, StringComparison.Ordinal);
        }
        finally
        {
            await ToolProcess.RunAsync("docker", ["rm", "-f", name]);
        }
    }

    private static string PublishedBinary()
    {
        var path = Path.Combine(RepositoryRoot(), "artifacts", "cairn");
        Assert.True(File.Exists(path), $"No {path}: run `bash scripts/publish.sh` (scripts/test.sh does it before the tests).");
        return path;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cairn.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Cairn.slnx above {AppContext.BaseDirectory}");
    }

    private static async Task WaitUntilServingAsync(AwsCli aws, Process server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var identity = await aws.RunAsync("sts", "get-caller-identity");
            if (identity.ExitCode == 0 || server.HasExited || DateTime.UtcNow > deadline)
            {
                Assert.True(identity.ExitCode == 0, $"the published cairn did not answer: {identity.Stderr}");
                return;
            }

            await Task.Delay(250);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
