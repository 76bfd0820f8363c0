using Cairn.Runner.Cache;

namespace Cairn.Runner.Tests.Cache;

public sealed class LocalBuildCacheTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("cairn-cache-").FullName;
    private readonly string _source = Directory.CreateTempSubdirectory("cairn-src-").FullName;

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_source, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public void Saved_paths_come_back_by_exact_key()
    {
        Write("node_modules/left-pad/index.js", "pad");
        Write("src/app.js", "app");
        var cache = new LocalBuildCache(_cache);
        var spec = new CacheSpec(["node_modules/**/*"], Key: "deps-v1");

        Assert.Equal(1, cache.Save(spec, _source));
        Directory.Delete(Path.Combine(_source, "node_modules"), recursive: true);

        Assert.Equal("deps-v1", cache.Restore(spec, _source));
        Assert.Equal("pad", File.ReadAllText(Path.Combine(_source, "node_modules/left-pad/index.js")));
    }

    [Fact]
    public void A_miss_falls_back_to_the_newest_key_with_the_prefix()
    {
        Write("deps/a", "old");
        var cache = new LocalBuildCache(_cache);
        cache.Save(new CacheSpec(["deps/**/*"], Key: "npm-aaa"), _source);
        Thread.Sleep(20);
        Write("deps/a", "new");
        cache.Save(new CacheSpec(["deps/**/*"], Key: "npm-bbb"), _source);
        File.Delete(Path.Combine(_source, "deps/a"));

        var restored = cache.Restore(new CacheSpec(["deps/**/*"], Key: "npm-ccc", FallbackKeys: ["pip-", "npm-"]), _source);

        Assert.Equal("npm-bbb", restored);
        Assert.Equal("new", File.ReadAllText(Path.Combine(_source, "deps/a")));
        Assert.Null(cache.Restore(new CacheSpec(["deps/**/*"], Key: "other"), _source));
    }

    [Fact]
    public void Hash_files_in_a_key_change_when_the_files_change()
    {
        Write("package-lock.json", "v1");
        var first = LocalBuildCache.ExpandKey("npm-$(codebuild-hash-files package-lock.json)", _source);
        Write("package-lock.json", "v2");
        var second = LocalBuildCache.ExpandKey("npm-$(codebuild-hash-files package-lock.json)", _source);

        Assert.StartsWith("npm-", first, StringComparison.Ordinal);
        Assert.Equal(68, first.Length);
        Assert.NotEqual(first, second);
    }

    public void Dispose()
    {
        Directory.Delete(_cache, recursive: true);
        Directory.Delete(_source, recursive: true);
    }
}
