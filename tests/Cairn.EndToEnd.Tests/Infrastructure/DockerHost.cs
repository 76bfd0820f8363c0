using Cairn.Runner.Processes;

namespace Cairn.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The Docker engine the end-to-end tests need, and the base image they build on. There is no skipping: on a machine
/// where docker cannot run, every test that needs it fails and says why (scripts/install-test-deps.sh sets it up).
/// </summary>
public static class DockerHost
{
    /// <summary>A busybox-static root filesystem made into an image with docker import (nothing is pulled from a registry).</summary>
    public const string BaseImage = "cairn-e2e/busybox:1";

    /// <summary>The base image plus the host's docker CLI (and the libraries it links): for container builds that run docker.</summary>
    public const string DockerCliImage = "cairn-e2e/docker-cli:1";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _ready;
    private static bool _cliReady;

    /// <summary>Fails the calling test with the reason and the fix when docker or the base image is unavailable.</summary>
    public static async Task RequireAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_ready)
            {
                return;
            }

            var version = await ToolProcess.RunAsync("docker", ["version", "--format", "{{.Server.Version}}"]);
            Assert.True(version.Succeeded,
                $"The end-to-end tests need a running Docker engine and the docker CLI, and got: {version.Output.Trim()}\n"
                + "Run scripts/install-test-deps.sh as root (installs docker.io and starts dockerd), or start dockerd yourself.");
            var image = await ToolProcess.RunAsync("docker", ["image", "inspect", BaseImage]);
            if (!image.Succeeded)
            {
                await ImportBaseImageAsync();
            }

            _ready = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Makes <see cref="DockerCliImage"/> if it is missing: the busybox root filesystem with the docker CLI added.</summary>
    public static async Task RequireDockerCliImageAsync()
    {
        await RequireAsync();
        await Gate.WaitAsync();
        try
        {
            if (_cliReady || (await ToolProcess.RunAsync("docker", ["image", "inspect", DockerCliImage])).Succeeded)
            {
                _cliReady = true;
                return;
            }

            var docker = new[] { "/usr/bin/docker", "/usr/local/bin/docker" }.First(File.Exists);
            var root = Directory.CreateTempSubdirectory("cairn-docker-cli-").FullName;
            try
            {
                var files = new List<string> { docker };
                var ldd = await ToolProcess.RunAsync("ldd", [docker]);
                if (ldd.Succeeded)
                {
                    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)".
                    files.AddRange(ldd.Output.Split('\n')
                        .Select(line => line.Contains("=>", StringComparison.Ordinal) ? line[(line.IndexOf("=>", StringComparison.Ordinal) + 2)..] : line)
                        .Select(part => part.Trim().Split(' ')[0])
                        .Where(path => path.StartsWith('/') && File.Exists(path)));
                }

                foreach (var file in files)
                {
                    var target = Path.Combine(root, file.TrimStart('/'));
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(file, target);
                    File.SetUnixFileMode(target, File.GetUnixFileMode(file));
                }

                await File.WriteAllTextAsync(Path.Combine(root, "Dockerfile"), $"FROM {BaseImage}\nCOPY . /\n");
                await File.WriteAllTextAsync(Path.Combine(root, ".dockerignore"), "Dockerfile\n.dockerignore\n");
                var build = await ToolProcess.RunAsync("docker", ["build", "--quiet", "-t", DockerCliImage, root]);
                Assert.True(build.Succeeded, $"building {DockerCliImage} failed: {build.Output}");
                _cliReady = true;
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>docker import of a root filesystem holding busybox-static and its applet links.</summary>
    private static async Task ImportBaseImageAsync()
    {
        var busybox = new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists);
        Assert.True(busybox is not null, "The end-to-end tests need busybox-static (apt-get install busybox-static) to make their base image.");
        var root = Directory.CreateTempSubdirectory("cairn-rootfs-").FullName;
        try
        {
            foreach (var directory in new[] { "bin", "tmp", "etc", "root", "usr/bin", "var/run" })
            {
                Directory.CreateDirectory(Path.Combine(root, directory));
            }

            File.Copy(busybox, Path.Combine(root, "bin/busybox"));
            var install = await ToolProcess.RunAsync(Path.Combine(root, "bin/busybox"), ["--install", "-s", Path.Combine(root, "bin")]);
            Assert.True(install.Succeeded, install.Output);
            foreach (var link in Directory.EnumerateFileSystemEntries(Path.Combine(root, "bin")))
            {
                // busybox --install writes absolute links to this temporary root; inside the image they must point at /bin/busybox.
                if (new FileInfo(link).LinkTarget is not null)
                {
                    File.Delete(link);
                    File.CreateSymbolicLink(link, "busybox");
                }
            }

            await File.WriteAllTextAsync(Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            var import = await ToolProcess.RunAsync("sh", ["-c", $"tar -C '{root}' -c . | docker import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' - {BaseImage}"]);
            Assert.True(import.Succeeded, $"docker import of the busybox root filesystem failed: {import.Output}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
