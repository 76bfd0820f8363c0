using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Application.Keys;
using Cairn.Core.Identity;
using Cairn.Core.Keys;
using Cairn.Server.Aws;
using Cairn.Server.Hosting;
using Cairn.Server.Services.Kms;
using Cairn.Storage.Keys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Tests.Kms;

/// <summary>The promise behind SecureString: no plaintext secret or key material on disk or in a log, and the right master key or nothing.</summary>
public sealed class KmsAtRestTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cairn-rest-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private CairnServerOptions Options(string? masterKey = null) => new()
    {
        DataDirectory = _directory,
        Port = 0,
        RootAccessKeyId = "AKIAKMSTESTROOT00001",
        RootSecretAccessKey = "kms-test-root-secret-key",
        MasterKey = masterKey,
    };

    [Fact]
    public async Task No_secret_or_key_material_reaches_the_database_its_wal_or_a_log()
    {
        var secret = "cairn-at-rest-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        using var logs = new CapturingLoggerProvider();
        var materials = new List<byte[]>();
        byte[] masterKeyBytes;

        await using (var server = await CairnServer.StartAsync(Options(), services => services.AddSingleton<ILoggerProvider>(logs)))
        {
            var kms = server.Services.GetServices<IJsonService>().Single(s => s.TargetPrefix == "TrentService");
            var keys = server.Services.GetRequiredService<KeyRing>();
            var store = server.Services.GetRequiredService<IKeyStore>();
            var scope = new KeyScope(server.Options.AccountId, "us-east-1");
            var context = new RequestContext(Principal.Root(server.Options.AccountId), "us-east-1", "req-1", "127.0.0.1", DateTimeOffset.UtcNow);
            masterKeyBytes = Convert.FromBase64String(server.Services.GetRequiredService<MasterKey>().ToBase64());

            // The control: a description is stored in plain, so the scan must find it; otherwise the scan proves nothing.
            var created = await kms.InvokeAsync("CreateKey", new JsonObject { ["Description"] = Canary }, context, CancellationToken.None);
            var keyId = created["KeyMetadata"]!["KeyId"]!.GetValue<string>();
            var encrypted = await kms.InvokeAsync("Encrypt", new JsonObject
            {
                ["KeyId"] = keyId,
                ["Plaintext"] = Convert.ToBase64String(secretBytes),
                ["EncryptionContext"] = new JsonObject { ["PARAMETER_ARN"] = "arn:aws:ssm:us-east-1:000000000000:parameter/app/pw" },
            }, context, CancellationToken.None);
            await kms.InvokeAsync("GenerateDataKey", new JsonObject { ["KeyId"] = keyId, ["KeySpec"] = "AES_256" }, context, CancellationToken.None);
            var ssmBlob = await keys.EncryptAsync(scope, AwsManagedKeys.SsmAlias, secretBytes,
                new Dictionary<string, string> { ["PARAMETER_ARN"] = "arn:aws:ssm:us-east-1:000000000000:parameter/app/pw" }, CancellationToken.None);
            await kms.InvokeAsync("DisableKey", new JsonObject { ["KeyId"] = keyId }, context, CancellationToken.None);
            Assert.NotNull(encrypted["CiphertextBlob"]);
            Assert.NotEmpty(ssmBlob);

            foreach (var key in await store.ListKeysAsync(scope, null, 100, CancellationToken.None))
            {
                materials.Add(keys.Material(key).ToArray());
            }

            Assert.Equal(2, materials.Count);
            AssertNotInDataDirectory(secretBytes, materials, masterKeyBytes, "while running");
            Assert.True(DataDirectoryContains(Encoding.UTF8.GetBytes(Canary)), "the scan did not find the plainly stored canary");
        }

        AssertNotInDataDirectory(secretBytes, materials, masterKeyBytes, "after shutdown");
        Assert.True(DataDirectoryContains(Encoding.UTF8.GetBytes(Canary)), "the scan did not find the plainly stored canary after shutdown");
        var allLogs = string.Join('\n', logs.Lines);
        Assert.Contains("Created KMS key", allLogs, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, allLogs, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(secretBytes), allLogs, StringComparison.Ordinal);
        foreach (var material in materials)
        {
            Assert.DoesNotContain(Convert.ToBase64String(material), allLogs, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(material), allLogs, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain(Convert.ToBase64String(masterKeyBytes), allLogs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_will_not_start_with_a_master_key_other_than_the_one_its_keys_were_wrapped_with()
    {
        var original = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using (var server = await CairnServer.StartAsync(Options(original)))
        {
            await server.Services.GetRequiredService<IKeyService>().FindKeyAsync(new KeyScope(server.Options.AccountId, "us-east-1"), AwsManagedKeys.SsmAlias, CancellationToken.None);
        }

        var wrong = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var error = await Assert.ThrowsAsync<MasterKeyMismatchException>(() => CairnServer.StartAsync(Options(wrong)));

        Assert.Contains("CAIRN_MASTER_KEY", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.Message, StringComparison.Ordinal);

        await using var restarted = await CairnServer.StartAsync(Options(original));
        Assert.NotNull(await restarted.Services.GetRequiredService<IKeyService>().FindKeyAsync(
            new KeyScope(restarted.Options.AccountId, "us-east-1"), AwsManagedKeys.SsmAlias, CancellationToken.None));
    }

    [Fact]
    public async Task A_server_without_CAIRN_MASTER_KEY_creates_master_key_in_the_data_directory()
    {
        await using var server = await CairnServer.StartAsync(Options());

        Assert.True(File.Exists(Path.Combine(_directory, "master.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "master.key")));
    }

    private const string Canary = "canary-description-stored-in-plain-7f1c";

    private bool DataDirectoryContains(byte[] needle) =>
        Directory.GetFiles(_directory, "*", SearchOption.AllDirectories).Any(f => File.ReadAllBytes(f).AsSpan().IndexOf(needle) >= 0);

    private void AssertNotInDataDirectory(byte[] secret, List<byte[]> materials, byte[] masterKey, string when)
    {
        var files = Directory.GetFiles(_directory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("cairn.db", StringComparison.Ordinal));
        var needles = new List<(string Name, byte[] Bytes)>
        {
            ("secret", secret),
            ("base64 secret", Encoding.ASCII.GetBytes(Convert.ToBase64String(secret))),
        };
        needles.AddRange(materials.Select((m, i) => ($"key material {i}", m)));
        foreach (var file in files)
        {
            var content = File.ReadAllBytes(file);
            foreach (var (name, bytes) in needles)
            {
                Assert.True(content.AsSpan().IndexOf(bytes) < 0, $"{name} found in {Path.GetFileName(file)} {when}");
            }

            if (Path.GetFileName(file) != "master.key")
            {
                Assert.True(content.AsSpan().IndexOf(masterKey) < 0, $"master key found in {Path.GetFileName(file)} {when}");
            }
        }
    }
}
