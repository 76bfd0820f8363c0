using System.Formats.Tar;
using System.IO.Compression;
using Cairn.Storage.Artifacts;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Artifacts;

/// <summary>What every IArtifactStore must do; each backend runs this suite through a subclass.</summary>
public abstract class ArtifactStoreContractTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("cairn-artifact-tree-").FullName;

    protected abstract IArtifactStore Store { get; }

    protected string Scratch(string name) => Path.Combine(_scratch, name);

    /// <summary>Puts <paramref name="archive"/>'s bytes in the store as if the store had written them at <paramref name="location"/>.</summary>
    protected abstract Task PlaceAsync(ArtifactLocation location, byte[] archive);

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

    [StoreFact]
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

    [StoreFact]
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

    [StoreFact]
    public async Task The_executions_holding_archives_are_listed_by_store_pipeline_and_execution_until_their_prefix_is_deleted()
    {
        var tree = Scratch("listed");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "a.txt"), "a");
        await Store.PutDirectoryAsync("store-a", "pipe/exec-1", tree, CancellationToken.None);
        await Store.PutDirectoryAsync("store-a", "pipe/exec-1/BuildArtifact", tree, CancellationToken.None);
        await Store.PutDirectoryAsync("store-a", "pipe/exec-2", tree, CancellationToken.None);
        await Store.PutDirectoryAsync("store-b", "pipe/exec-1", tree, CancellationToken.None);
        await Store.PutDirectoryAsync("store-b", "lonely", tree, CancellationToken.None);

        var listed = (await Store.ListExecutionsAsync(CancellationToken.None))
            .OrderBy(e => e.Store, StringComparer.Ordinal).ThenBy(e => e.ExecutionId, StringComparer.Ordinal).ToList();

        Assert.Equal(
            [new ArtifactExecution("store-a", "pipe", "exec-1"), new ArtifactExecution("store-a", "pipe", "exec-2"), new ArtifactExecution("store-b", "pipe", "exec-1")],
            listed);
        Assert.Equal("pipe/exec-1/", listed[0].Prefix);

        await Store.DeletePrefixAsync("store-a", new ArtifactExecution("store-a", "pipe", "exec-1").Prefix, CancellationToken.None);

        Assert.Equal(
            [new ArtifactExecution("store-a", "pipe", "exec-2"), new ArtifactExecution("store-b", "pipe", "exec-1")],
            (await Store.ListExecutionsAsync(CancellationToken.None)).OrderBy(e => e.Store, StringComparer.Ordinal));
    }

    [StoreFact]
    public async Task Extracting_an_archive_that_does_not_exist_is_FileNotFound()
    {
        var missing = new ArtifactLocation("store-a", "pipe/exec-1/nothing.tar.gz");

        Assert.False(await Store.ExistsAsync(missing, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.ExtractAsync(missing, Scratch("out"), CancellationToken.None));
    }

    [StoreFact]
    public async Task A_store_or_key_name_that_could_leave_the_root_is_refused()
    {
        var tree = Scratch("named");
        Directory.CreateDirectory(tree);
        (string Store, string Prefix)[] names =
            [("..", "pipe"), ("../escape", "pipe"), ("a/b", "pipe"), ("store-a", "../../etc"), ("store-a", "pipe/../../x"), ("store-a", "/etc"), ("store-a", "pipe//x")];

        foreach (var (store, prefix) in names)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => Store.PutDirectoryAsync(store, prefix, tree, CancellationToken.None));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.ExistsAsync(new ArtifactLocation(store, prefix + "/k.tar.gz"), CancellationToken.None));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.ExtractAsync(new ArtifactLocation(store, prefix + "/k.tar.gz"), Scratch("out"), CancellationToken.None));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.DeletePrefixAsync(store, prefix, CancellationToken.None));
        }
    }

    [StoreFact]
    public async Task A_key_prefix_is_matched_as_text_so_an_underscore_or_a_partial_segment_matches_only_itself()
    {
        var tree = Scratch("one");
        Directory.CreateDirectory(tree);
        var underscore = await Store.PutDirectoryAsync("store-a", "a_b/exec-1", tree, CancellationToken.None);
        var letter = await Store.PutDirectoryAsync("store-a", "axb/exec-1", tree, CancellationToken.None);
        var longer = await Store.PutDirectoryAsync("store-a", "a_bc/exec-1", tree, CancellationToken.None);
        var otherStore = await Store.PutDirectoryAsync("store-b", "a_b/exec-1", tree, CancellationToken.None);

        await Store.DeletePrefixAsync("store-a", "a_b/", CancellationToken.None);

        Assert.False(await Store.ExistsAsync(underscore, CancellationToken.None));
        Assert.True(await Store.ExistsAsync(letter, CancellationToken.None));
        Assert.True(await Store.ExistsAsync(longer, CancellationToken.None));
        Assert.True(await Store.ExistsAsync(otherStore, CancellationToken.None));

        await Store.DeletePrefixAsync("store-a", "a_", CancellationToken.None);

        Assert.False(await Store.ExistsAsync(longer, CancellationToken.None));
        Assert.True(await Store.ExistsAsync(letter, CancellationToken.None));
    }

    private static PaxTarEntry FileEntry(string name, string text = "x") =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)) };

    private static PaxTarEntry Link(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target };

    private static (string What, TarEntry[] Entries)[] HostileArchives() =>
    [
        ("absolute path", [FileEntry("/tmp/cairn-pwned")]),
        ("dot-dot", [FileEntry("../outside.txt")]),
        ("dot-dot inside", [FileEntry("a/../../outside.txt")]),
        ("link to an absolute path", [Link("etc", "/etc")]),
        ("link out", [Link("up", "../..")]),
        ("write through a link", [Link("d", "sub"), FileEntry("d/x")]),
        ("file over a link", [FileEntry("target"), Link("l", "target"), FileEntry("l")]),
        ("link through a link made later", [Link("c", "b/../escaped"), Link("b", ".")]),
        ("character device", [new PaxTarEntry(TarEntryType.CharacterDevice, "null") { DeviceMajor = 1, DeviceMinor = 3 }]),
        ("block device", [new PaxTarEntry(TarEntryType.BlockDevice, "sda") { DeviceMajor = 8, DeviceMinor = 0 }]),
        ("fifo", [new PaxTarEntry(TarEntryType.Fifo, "pipe")]),
        ("hard link out", [new PaxTarEntry(TarEntryType.HardLink, "passwd") { LinkName = "../../etc/passwd" }]),
    ];

    /// <summary>An archive as someone hostile would make it, placed in the store as if the store had written it.</summary>
    private async Task<ArtifactLocation> HostileAsync(TarEntry[] entries)
    {
        var location = new ArtifactLocation("store-a", "pipe/exec-1/" + Guid.NewGuid().ToString("N") + ".tar.gz");
        using var bytes = new MemoryStream();
        await using (var gzip = new GZipStream(bytes, CompressionLevel.Fastest, leaveOpen: true))
        await using (var writer = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var entry in entries)
            {
                await writer.WriteEntryAsync(entry);
            }
        }

        await PlaceAsync(location, bytes.ToArray());
        return location;
    }

    [StoreFact]
    public async Task A_hostile_archive_is_refused_and_writes_nothing_outside_the_target()
    {
        foreach (var (what, entries) in HostileArchives())
        {
            var location = await HostileAsync(entries);
            var parent = Scratch("parent-" + Guid.NewGuid().ToString("N"));
            var target = Path.Combine(parent, "target");
            Directory.CreateDirectory(target);

            var error = await Assert.ThrowsAsync<InvalidDataException>(() => Store.ExtractAsync(location, target, CancellationToken.None));

            Assert.True(error.Message.Contains("archive entry", StringComparison.Ordinal), $"{what}: {error.Message}");
            Assert.True(Directory.EnumerateFileSystemEntries(parent).SequenceEqual([target]), what);
            Assert.False(File.Exists("/tmp/cairn-pwned"), what);
            Assert.True(!Directory.EnumerateFileSystemEntries(target, "escaped", SearchOption.AllDirectories).Any(), what);
        }
    }
}
