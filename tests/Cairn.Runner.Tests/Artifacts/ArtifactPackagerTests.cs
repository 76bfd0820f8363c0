using System.IO.Compression;
using Cairn.Runner.Artifacts;

namespace Cairn.Runner.Tests.Artifacts;

public sealed class ArtifactPackagerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cairn-src-").FullName;
    private readonly string _out = Directory.CreateTempSubdirectory("cairn-out-").FullName;

    public ArtifactPackagerTests()
    {
        foreach (var file in new[] { "app.py", "README.md", "build/app.jar", "build/lib/dep.jar", "build/tmp/x.log", "tests/t.py" })
        {
            var path = Path.Combine(_root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file);
        }
    }

    [Theory]
    [InlineData("**/*", null, "README.md,app.py,build/app.jar,build/lib/dep.jar,build/tmp/x.log,tests/t.py")]
    [InlineData("*.py", null, "app.py")]
    [InlineData("build/**/*.jar", null, "build/app.jar,build/lib/dep.jar")]
    [InlineData("build", null, "build/app.jar,build/lib/dep.jar,build/tmp/x.log")]
    [InlineData("**/*", "build", "app.jar,lib/dep.jar,tmp/x.log")]
    [InlineData("b?ild/app.jar", null, "build/app.jar")]
    public void Files_match_CodeBuild_globs(string pattern, string? baseDirectory, string expected)
    {
        var files = ArtifactPackager.Match(_root, new ArtifactSpec([pattern], baseDirectory));
        Assert.Equal(expected.Split(','), files);
    }

    [Fact]
    public void Exclude_paths_remove_matches()
    {
        var files = ArtifactPackager.Match(_root, new ArtifactSpec(["**/*"], "build", ExcludePaths: ["tmp/**/*"]));
        Assert.Equal(["app.jar", "lib/dep.jar"], files);
    }

    [Fact]
    public void A_zip_keeps_paths_and_discard_paths_flattens_them()
    {
        var kept = ArtifactPackager.Package(_root, new ArtifactSpec(["**/*.jar"], Name: "jars"), _out, ArtifactPackaging.Zip);
        using (var zip = ZipFile.OpenRead(kept.Location))
        {
            Assert.Equal(["build/app.jar", "build/lib/dep.jar"], zip.Entries.Select(e => e.FullName).Order());
        }

        var flat = ArtifactPackager.Package(_root, new ArtifactSpec(["**/*.jar"], DiscardPaths: true, Name: "flat"), _out, ArtifactPackaging.Directory);
        Assert.True(File.Exists(Path.Combine(flat.Location, "app.jar")));
        Assert.True(File.Exists(Path.Combine(flat.Location, "dep.jar")));
    }

    [Fact]
    public void No_match_and_discard_path_clashes_are_clear_errors()
    {
        var none = Assert.Throws<ArtifactException>(() => ArtifactPackager.Package(_root, new ArtifactSpec(["dist/**/*"]), _out, ArtifactPackaging.Zip));
        Assert.Contains("no matching artifact paths found", none.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_root, "build/lib/app.jar"), "dup");
        var clash = Assert.Throws<ArtifactException>(() => ArtifactPackager.Package(_root, new ArtifactSpec(["**/*.jar"], DiscardPaths: true), _out, ArtifactPackaging.Zip));
        Assert.Contains("'app.jar'", clash.Message, StringComparison.Ordinal);

        Assert.Throws<ArtifactException>(() => ArtifactPackager.Match(_root, new ArtifactSpec(["*"], "../..")));
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_out, recursive: true);
    }
}
