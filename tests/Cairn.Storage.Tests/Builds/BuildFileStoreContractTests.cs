using System.Security.Cryptography;
using System.Text;
using Cairn.Storage.Builds;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Builds;

/// <summary>What every IBuildFileStore must do; each backend runs this suite through a subclass.</summary>
public abstract class BuildFileStoreContractTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("cairn-build-files-").FullName;

    protected abstract IBuildFileStore Store { get; }

    protected string Scratch => _scratch;

    /// <summary>Where a build of <paramref name="uuid"/> packages its artifacts before they are kept (the file store's own place, where it has one).</summary>
    protected abstract string PackagingDirectory(string uuid);

    public virtual void Dispose()
    {
        Directory.Delete(_scratch, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected static string NewUuid() => Guid.NewGuid().ToString("D");

    protected static async Task<byte[]> ReadAllAsync(Stream content)
    {
        await using (content)
        {
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    protected string Package(string uuid, params (string Path, byte[] Bytes)[] files)
    {
        var directory = PackagingDirectory(uuid);
        foreach (var (path, bytes) in files)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }

        Directory.CreateDirectory(directory);
        return directory;
    }

    [StoreFact]
    public async Task A_buildspec_round_trips_and_a_second_save_replaces_it()
    {
        var uuid = NewUuid();
        await Store.SaveBuildspecAsync(uuid, "version: 0.2\nphases:\n  build:\n    commands:\n      - echo first\n", default);
        const string Second = "version: 0.2\nenv:\n  variables:\n    GREETING: \"héllo ✓\"\nphases:\n  build:\n    commands:\n      - echo $GREETING\n";

        await Store.SaveBuildspecAsync(uuid, Second, default);
        var kept = await Store.FindBuildspecAsync(uuid, 1024, default);

        Assert.Equal(new KeptBuildspec(Encoding.UTF8.GetByteCount(Second), Second), kept);
    }

    [StoreFact]
    public async Task A_buildspec_over_the_size_asked_for_gives_its_size_without_its_text()
    {
        var uuid = NewUuid();
        var text = "version: 0.2\n# " + new string('x', 200) + "\n";
        await Store.SaveBuildspecAsync(uuid, text, default);

        var kept = await Store.FindBuildspecAsync(uuid, 100, default);

        Assert.Equal(new KeptBuildspec(text.Length, null), kept);
    }

    [StoreFact]
    public async Task Artifacts_are_listed_in_ordinal_order_with_their_sizes_and_read_back_byte_for_byte()
    {
        var uuid = NewUuid();
        var directory = Package(uuid,
            ("web/index.html", "<h1>hi</h1>"u8.ToArray()), ("Z.txt", "upper"u8.ToArray()), ("a/b/c.bin", [0, 1, 2, 255]), ("empty.txt", []), ("web/app.js", "js"u8.ToArray()));

        await Store.KeepArtifactsAsync(uuid, directory, default);
        var listed = await Store.ListArtifactsAsync(uuid, 1000, default);

        Assert.Equal(
            [new BuildArtifactFile("Z.txt", 5), new BuildArtifactFile("a/b/c.bin", 4), new BuildArtifactFile("empty.txt", 0), new BuildArtifactFile("web/app.js", 2), new BuildArtifactFile("web/index.html", 11)],
            listed);
        var opened = (await Store.OpenArtifactAsync(uuid, "a/b/c.bin", default))!;
        Assert.Equal(4, opened.Size);
        Assert.Equal([0, 1, 2, 255], await ReadAllAsync(opened.Content));
        var empty = (await Store.OpenArtifactAsync(uuid, "empty.txt", default))!;
        Assert.Empty(await ReadAllAsync(empty.Content));
    }

    [StoreFact]
    public async Task A_file_of_several_megabytes_round_trips_byte_for_byte()
    {
        var uuid = NewUuid();
        // Over two of the PostgreSQL store's 1 MiB chunks, and not a multiple of one.
        var big = RandomNumberGenerator.GetBytes((1024 * 1024 * 5 / 2) + 123);
        await Store.KeepArtifactsAsync(uuid, Package(uuid, ("dist/app.tar", big)), default);

        var opened = (await Store.OpenArtifactAsync(uuid, "dist/app.tar", default))!;

        Assert.Equal(big.Length, opened.Size);
        var read = await ReadAllAsync(opened.Content);
        Assert.True(big.AsSpan().SequenceEqual(read), "the file read back is not the file kept");
        Assert.Equal([new BuildArtifactFile("dist/app.tar", big.Length)], await Store.ListArtifactsAsync(uuid, 10, default));
    }

    [StoreFact]
    public async Task The_listing_stops_at_the_most_asked_for_in_path_order()
    {
        var uuid = NewUuid();
        await Store.KeepArtifactsAsync(uuid, Package(uuid, [.. new[] { "e", "c", "a", "d", "b" }.Select(name => ($"out/{name}.txt", "x"u8.ToArray()))]), default);

        var listed = await Store.ListArtifactsAsync(uuid, 3, default);

        Assert.Equal(["out/a.txt", "out/b.txt", "out/c.txt"], listed.Select(file => file.Path));
        Assert.NotNull(await Store.OpenArtifactAsync(uuid, "out/e.txt", default));
    }

    [StoreFact]
    public async Task Symbolic_links_are_neither_kept_nor_followed()
    {
        var uuid = NewUuid();
        var outside = Path.Combine(Scratch, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "not an artifact");
        var directory = Package(uuid, ("real.txt", "real"u8.ToArray()));
        File.CreateSymbolicLink(Path.Combine(directory, "link.txt"), Path.Combine(outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(directory, "linked"), outside);

        await Store.KeepArtifactsAsync(uuid, directory, default);

        Assert.Equal([new BuildArtifactFile("real.txt", 4)], await Store.ListArtifactsAsync(uuid, 10, default));
        Assert.Null(await Store.OpenArtifactAsync(uuid, "link.txt", default));
        Assert.Null(await Store.OpenArtifactAsync(uuid, "linked/secret.txt", default));
    }

    [StoreFact]
    public async Task Keeping_again_replaces_the_set()
    {
        var uuid = NewUuid();
        await Store.KeepArtifactsAsync(uuid, Package(uuid, ("old.txt", "old"u8.ToArray())), default);
        File.Delete(Path.Combine(PackagingDirectory(uuid), "old.txt"));

        await Store.KeepArtifactsAsync(uuid, Package(uuid, ("new.txt", "new"u8.ToArray())), default);

        Assert.Equal([new BuildArtifactFile("new.txt", 3)], await Store.ListArtifactsAsync(uuid, 10, default));
        Assert.Null(await Store.OpenArtifactAsync(uuid, "old.txt", default));
    }

    [StoreFact]
    public async Task A_build_that_kept_nothing_has_no_buildspec_no_artifacts_and_deletes_quietly()
    {
        var uuid = NewUuid();

        Assert.Null(await Store.FindBuildspecAsync(uuid, 1024, default));
        Assert.Empty(await Store.ListArtifactsAsync(uuid, 10, default));
        Assert.Null(await Store.OpenArtifactAsync(uuid, "index.html", default));
        await Store.DeleteAsync(uuid, default);
    }

    [StoreFact]
    public async Task Deleting_a_build_removes_its_buildspec_and_artifacts_and_no_other_builds()
    {
        var (uuid, other) = (NewUuid(), NewUuid());
        foreach (var build in new[] { uuid, other })
        {
            await Store.SaveBuildspecAsync(build, "version: 0.2\n", default);
            await Store.KeepArtifactsAsync(build, Package(build, ("index.html", "hi"u8.ToArray())), default);
        }

        await Store.DeleteAsync(uuid, default);

        Assert.Null(await Store.FindBuildspecAsync(uuid, 1024, default));
        Assert.Empty(await Store.ListArtifactsAsync(uuid, 10, default));
        Assert.Null(await Store.OpenArtifactAsync(uuid, "index.html", default));
        Assert.NotNull(await Store.FindBuildspecAsync(other, 1024, default));
        Assert.Equal([new BuildArtifactFile("index.html", 2)], await Store.ListArtifactsAsync(other, 10, default));
    }

    [StoreFact]
    public async Task A_uuid_that_is_not_a_build_uuid_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SaveBuildspecAsync("../escape", "version: 0.2\n", default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListArtifactsAsync("not-a-uuid", 10, default));
    }
}
