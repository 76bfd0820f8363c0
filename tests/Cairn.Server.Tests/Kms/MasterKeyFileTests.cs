using Cairn.Server.Hosting;
using Cairn.Server.Services.Kms;

namespace Cairn.Server.Tests.Kms;

public sealed class MasterKeyFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cairn-mk-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void First_start_creates_master_key_readable_by_the_owner_only()
    {
        using var master = MasterKeyFile.LoadOrCreate(new CairnServerOptions { DataDirectory = _directory });

        var path = Path.Combine(_directory, "master.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(path).Trim()).Length);
        Assert.False(MasterKeyFile.IsExposed(path));
    }

    [Fact]
    public void Later_starts_use_the_same_master_key()
    {
        var options = new CairnServerOptions { DataDirectory = _directory };
        using var first = MasterKeyFile.LoadOrCreate(options);
        var wrapped = first.WrapKeyMaterial("k", [7, 7, 7]);

        using var second = MasterKeyFile.LoadOrCreate(options);

        Assert.Equal(new byte[] { 7, 7, 7 }, second.UnwrapKeyMaterial("k", wrapped));
    }

    [Fact]
    public void CAIRN_MASTER_KEY_is_used_instead_of_a_file()
    {
        var value = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        using var master = MasterKeyFile.LoadOrCreate(new CairnServerOptions { DataDirectory = _directory, MasterKey = value });

        Assert.Equal(value, master.ToBase64());
        Assert.False(File.Exists(Path.Combine(_directory, "master.key")));
    }

    [Fact]
    public void A_corrupt_master_key_file_is_refused_naming_the_file()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "master.key");
        File.WriteAllText(path, "c2hvcnQ=\n");

        var error = Assert.Throws<ArgumentException>(() => MasterKeyFile.LoadOrCreate(new CairnServerOptions { DataDirectory = _directory }));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_master_key_file_others_can_read_is_reported_as_exposed()
    {
        using var master = MasterKeyFile.LoadOrCreate(new CairnServerOptions { DataDirectory = _directory });
        var path = Path.Combine(_directory, "master.key");

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        Assert.True(MasterKeyFile.IsExposed(path));
    }
}
