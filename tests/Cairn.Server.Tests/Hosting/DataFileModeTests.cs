using System.Net;
using Cairn.Server.Aws.SigV4;
using Cairn.Server.Hosting;

namespace Cairn.Server.Tests.Hosting;

/// <summary>Every file of the data directory that holds secrets is owner-only, even in a directory others may list.</summary>
public sealed class DataFileModeTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cairn-modes-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Database_WAL_SHM_master_key_and_credentials_are_0600_in_a_0755_data_directory()
    {
        Directory.CreateDirectory(_data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await using (var server = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = _data, Port = 0 }))
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint)
            {
                Content = new StringContent("""{"Name":"/mode/check","Value":"v","Type":"SecureString"}""", System.Text.Encoding.UTF8, "application/x-amz-json-1.1"),
                Headers = { { "X-Amz-Target", "AmazonSSM.PutParameter" } },
            };
            await new SigV4Signer(server.Root.AccessKeyId, server.Root.SecretAccessKey, "us-east-1", "ssm").SignAsync(request, DateTimeOffset.UtcNow, default);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            foreach (var name in new[] { "cairn.db", "cairn.db-wal", "cairn.db-shm", "master.key", "credentials" })
            {
                var path = Path.Combine(_data, name);
                Assert.True(File.Exists(path), $"{name} missing");
                Assert.Equal((name, OwnerOnly), (name, File.GetUnixFileMode(path)));
            }
        }
    }

    [Fact]
    public async Task A_database_left_world_readable_is_tightened_on_start()
    {
        Directory.CreateDirectory(_data);
        var database = Path.Combine(_data, "cairn.db");
        await File.WriteAllBytesAsync(database, []);
        File.SetUnixFileMode(database, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using (await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = _data, Port = 0 }))
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(database));
        }
    }
}
