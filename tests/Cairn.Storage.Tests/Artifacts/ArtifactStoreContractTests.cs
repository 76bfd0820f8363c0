using Cairn.Storage.Artifacts;

namespace Cairn.Storage.Tests.Artifacts;

/// <summary>What every IArtifactStore must do; each backend runs this suite through a subclass.</summary>
public abstract class ArtifactStoreContractTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("cairn-artifact-tree-").FullName;

    protected abstract IArtifactStore Store { get; }

    protected string Scratch(string name) => Path.Combine(_scratch, name);

    public virtual void Dispose()
    {
        foreach (var directory in Directory.EnumerateDirectories(_scratch, "*", SearchOption.AllDirectories))
        {
            if (new DirectoryInfo(directory).LinkTarget is null)
            {
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        Directory.Delete(_scratch, recursive: true);
        GC.SuppressFinalize(this);
    }

    private string Tree()
    {
        var tree = Scratch("tree");
        Directory.CreateDirectory(Path.Combine(tree, "bin"));
        Directory.CreateDirectory(Path.Combine(tree, "empty"));
        Directory.CreateDirectory(Path.Combine(tree, "locked"));
        File.WriteAllText(Path.Combine(tree, "bin", "run.sh"), "#!/bin/sh\necho hello\n");
        File.SetUnixFileMode(Path.Combine(tree, "bin", "run.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        File.WriteAllText(Path.Combine(tree, "secret.txt"), "only mine");
        File.SetUnixFileMode(Path.Combine(tree, "secret.txt"), UnixFileMode.UserRead);
        File.WriteAllText(Path.Combine(tree, "locked", "inside.txt"), "in a read-only directory");
        File.SetUnixFileMode(Path.Combine(tree, "locked"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(tree, "run"), "bin/run.sh");
        File.CreateSymbolicLink(Path.Combine(tree, "bin", "up"), "..");
        return tree;
    }

    [Fact]
    public async Task A_directory_round_trips_with_its_modes_symlinks_and_empty_directories()
    {
        var location = await Store.PutDirectoryAsync("my-artifacts", "flask-app/exec-1", Tree(), CancellationToken.None);
        var output = Scratch("out");

        await Store.ExtractAsync(location, output, CancellationToken.None);

        Assert.StartsWith("flask-app/exec-1/", location.Key, StringComparison.Ordinal);
        Assert.Equal("#!/bin/sh\necho hello\n", await File.ReadAllTextAsync(Path.Combine(output, "bin", "run.sh")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
            File.GetUnixFileMode(Path.Combine(output, "bin", "run.sh")));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(Path.Combine(output, "secret.txt")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(output, "locked")));
        Assert.Equal("in a read-only directory", await File.ReadAllTextAsync(Path.Combine(output, "locked", "inside.txt")));
        Assert.Equal("bin/run.sh", new FileInfo(Path.Combine(output, "run")).LinkTarget);
        Assert.Equal("..", new DirectoryInfo(Path.Combine(output, "bin", "up")).LinkTarget);
        Assert.True(Directory.Exists(Path.Combine(output, "empty")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(output, "empty")));
    }

    [Fact]
    public async Task Each_put_is_a_new_archive_and_exists_until_its_prefix_is_deleted()
    {
        var tree = Scratch("one");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "a.txt"), "a");
        var first = await Store.PutDirectoryAsync("store-a", "pipe/exec-1", tree, CancellationToken.None);
        var second = await Store.PutDirectoryAsync("store-a", "pipe/exec-1", tree, CancellationToken.None);
        var other = await Store.PutDirectoryAsync("store-a", "pipe-2/exec-1", tree, CancellationToken.None);

        Assert.NotEqual(first, second);
        Assert.True(await Store.ExistsAsync(first, CancellationToken.None));

        await Store.DeletePrefixAsync("store-a", "pipe/", CancellationToken.None);

        Assert.False(await Store.ExistsAsync(first, CancellationToken.None));
        Assert.False(await Store.ExistsAsync(second, CancellationToken.None));
        Assert.True(await Store.ExistsAsync(other, CancellationToken.None));
    }

    [Fact]
    public async Task Extracting_an_archive_that_does_not_exist_is_FileNotFound()
    {
        var missing = new ArtifactLocation("store-a", "pipe/exec-1/nothing.tar.gz");

        Assert.False(await Store.ExistsAsync(missing, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.ExtractAsync(missing, Scratch("out"), CancellationToken.None));
    }

    [Theory]
    [InlineData("..", "pipe")]
    [InlineData("../escape", "pipe")]
    [InlineData("a/b", "pipe")]
    [InlineData("store-a", "../../etc")]
    [InlineData("store-a", "pipe/../../x")]
    [InlineData("store-a", "/etc")]
    [InlineData("store-a", "pipe//x")]
    public async Task A_store_or_key_name_that_could_leave_the_root_is_refused(string store, string prefix)
    {
        var tree = Scratch("named");
        Directory.CreateDirectory(tree);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutDirectoryAsync(store, prefix, tree, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ExistsAsync(new ArtifactLocation(store, prefix + "/k.tar.gz"), CancellationToken.None));
    }
}
