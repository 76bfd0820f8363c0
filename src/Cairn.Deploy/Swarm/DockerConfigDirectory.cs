using System.Text;
using System.Text.Json.Nodes;

namespace Cairn.Deploy.Swarm;

/// <summary>
/// A DOCKER_CONFIG directory made for one deploy: 0700, on tmpfs (/dev/shm) when the host has it so registry passwords
/// never reach a disk, holding a config.json with only the registries the cluster names; removed when disposed. Setting
/// it also keeps the docker CLI away from the Cairn host user's own ~/.docker credentials.
/// </summary>
public sealed class DockerConfigDirectory : IDisposable
{
    private DockerConfigDirectory(string path) => Path = path;

    public string Path { get; }

    /// <summary>Writes config.json with an <c>auths</c> entry per registry (host[:port] to user and password).</summary>
    public static DockerConfigDirectory Create(IReadOnlyDictionary<string, RegistryCredentials> registries)
    {
        ArgumentNullException.ThrowIfNull(registries);
        var parent = Directory.Exists("/dev/shm") && IsWritable("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        var path = System.IO.Path.Combine(parent, "cairn-deploy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var directory = new DockerConfigDirectory(path);
        try
        {
            var auths = new JsonObject();
            foreach (var (registry, credentials) in registries)
            {
                var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.UserName}:{credentials.Password}"));
                auths[registry] = new JsonObject { ["auth"] = token };
            }

            var file = System.IO.Path.Combine(path, "config.json");
            using (var stream = new FileStream(file, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                stream.Write(Encoding.UTF8.GetBytes(new JsonObject { ["auths"] = auths }.ToJsonString()));
            }

            return directory;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }

    private static bool IsWritable(string directory)
    {
        try
        {
            var probe = System.IO.Path.Combine(directory, ".cairn-probe-" + Guid.NewGuid().ToString("N"));
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>A registry login; the password is held in memory only for the deploy's length.</summary>
public sealed record RegistryCredentials(string UserName, string Password)
{
    /// <summary>Never the password: records print their members.</summary>
    public override string ToString() => $"{UserName} (password hidden)";
}
