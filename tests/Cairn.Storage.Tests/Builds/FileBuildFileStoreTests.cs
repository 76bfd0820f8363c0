using Cairn.Storage.Builds;
using Cairn.Storage.Files;

namespace Cairn.Storage.Tests.Builds;

public sealed class FileBuildFileStoreTests : BuildFileStoreContractTests
{
    private readonly FileBuildFileStore _store;

    public FileBuildFileStoreTests() => _store = new FileBuildFileStore(Path.Combine(Scratch, "builds"));

    protected override IBuildFileStore Store => _store;

    /// <summary>Builds package into the store's own place, as the server's builds and agents' uploads do.</summary>
    protected override string PackagingDirectory(string uuid) => _store.ArtifactsOf(uuid);

    [Fact]
    public async Task Keeping_the_place_builds_package_into_copies_nothing()
    {
        var uuid = NewUuid();
        var directory = Package(uuid, ("index.html", "hi"u8.ToArray()));
        File.CreateSymbolicLink(Path.Combine(directory, "link"), "index.html");

        var inPlace = await _store.KeepArtifactsAsync(uuid, directory, default);

        Assert.True(inPlace, "the store said it took a copy of its own place");
        // A copy would keep regular files only: the link is still there, so the directory is the one the build wrote.
        Assert.NotNull(new FileInfo(Path.Combine(directory, "link")).LinkTarget);
        Assert.Equal([Path.Combine(_store.Root, uuid)], Directory.EnumerateFileSystemEntries(_store.Root));
    }

    [Fact]
    public async Task Artifacts_from_another_directory_are_copied_as_regular_files_into_the_build_s_place()
    {
        var uuid = NewUuid();
        var elsewhere = Directory.CreateDirectory(Path.Combine(Scratch, "elsewhere", "out")).FullName;
        File.WriteAllText(Path.Combine(elsewhere, "app.txt"), "app");
        File.CreateSymbolicLink(Path.Combine(elsewhere, "link"), "app.txt");

        var inPlace = await _store.KeepArtifactsAsync(uuid, Path.Combine(Scratch, "elsewhere"), default);

        Assert.False(inPlace, "the store said it reads another directory in place");

        Assert.Equal("app", File.ReadAllText(Path.Combine(_store.ArtifactsOf(uuid), "out", "app.txt")));
        Assert.False(File.Exists(Path.Combine(_store.ArtifactsOf(uuid), "out", "link")));
        Assert.Equal([_store.ArtifactsOf(uuid)], Directory.EnumerateDirectories(Path.Combine(_store.Root, uuid)));
    }
}
