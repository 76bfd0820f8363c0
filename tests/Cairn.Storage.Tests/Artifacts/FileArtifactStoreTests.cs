using System.Formats.Tar;
using System.IO.Compression;
using Cairn.Storage.Artifacts;
using Cairn.Storage.Files;

namespace Cairn.Storage.Tests.Artifacts;

public sealed class FileArtifactStoreTests : ArtifactStoreContractTests
{
    private readonly string _root = Directory.CreateTempSubdirectory("cairn-artifacts-").FullName;
    private readonly FileArtifactStore _store;

    public FileArtifactStoreTests() => _store = new FileArtifactStore(_root);

    protected override IArtifactStore Store => _store;

    public override void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        base.Dispose();
    }

    /// <summary>An archive as someone hostile would make it, placed in the store as if Cairn had written it.</summary>
    private ArtifactLocation Hostile(params TarEntry[] entries)
    {
        var location = new ArtifactLocation("store-a", "pipe/exec-1/" + Guid.NewGuid().ToString("N") + ".tar.gz");
        var path = Path.Combine(_root, location.Store, location.Key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var writer = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var entry in entries)
        {
            writer.WriteEntry(entry);
        }

        return location;
    }

    private static PaxTarEntry FileEntry(string name, string text = "x") =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)) };

    private static PaxTarEntry Link(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target };

    public static TheoryData<string, TarEntry[]> HostileArchives() => new()
    {
        { "absolute path", [FileEntry("/tmp/cairn-pwned")] },
        { "dot-dot", [FileEntry("../outside.txt")] },
        { "dot-dot inside", [FileEntry("a/../../outside.txt")] },
        { "link to an absolute path", [Link("etc", "/etc")] },
        { "link out", [Link("up", "../..")] },
        { "write through a link", [Link("d", "sub"), FileEntry("d/x")] },
        { "file over a link", [FileEntry("target"), Link("l", "target"), FileEntry("l")] },
        { "link through a link made later", [Link("c", "b/../escaped"), Link("b", ".")] },
        { "character device", [new PaxTarEntry(TarEntryType.CharacterDevice, "null") { DeviceMajor = 1, DeviceMinor = 3 }] },
        { "block device", [new PaxTarEntry(TarEntryType.BlockDevice, "sda") { DeviceMajor = 8, DeviceMinor = 0 }] },
        { "fifo", [new PaxTarEntry(TarEntryType.Fifo, "pipe")] },
        { "hard link out", [new PaxTarEntry(TarEntryType.HardLink, "passwd") { LinkName = "../../etc/passwd" }] },
    };

    [Theory]
    [MemberData(nameof(HostileArchives))]
    public async Task A_hostile_archive_is_refused_and_writes_nothing_outside_the_target(string what, TarEntry[] entries)
    {
        var location = Hostile(entries);
        var parent = Scratch("parent");
        var target = Path.Combine(parent, "target");
        Directory.CreateDirectory(target);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _store.ExtractAsync(location, target, CancellationToken.None));

        Assert.Contains("archive entry", error.Message, StringComparison.Ordinal);
        Assert.Equal([target], Directory.EnumerateFileSystemEntries(parent));
        Assert.False(File.Exists("/tmp/cairn-pwned"), what);
        Assert.Empty(Directory.EnumerateFileSystemEntries(target, "escaped", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Archives_live_under_the_root_by_store_and_key()
    {
        var tree = Scratch("tree");
        Directory.CreateDirectory(tree);

        var location = await _store.PutDirectoryAsync("store-a", "pipe/exec-1/", tree, CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(_root, "store-a", location.Key)));
        Assert.Empty(Directory.EnumerateFiles(_root, "*.partial", SearchOption.AllDirectories));
    }
}
