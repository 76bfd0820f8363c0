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

    protected override async Task PlaceAsync(ArtifactLocation location, byte[] archive)
    {
        var path = Path.Combine(_root, location.Store, location.Key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, archive);
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
