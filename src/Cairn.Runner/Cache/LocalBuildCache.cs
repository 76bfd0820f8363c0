using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Cairn.Runner.Artifacts;

namespace Cairn.Runner.Cache;

/// <summary>
/// A build cache on local disk, as CodeBuild's LOCAL/S3 cache with keys: saved by exact key after the build, restored
/// before it by exact key, else by the newest entry whose key starts with a fallback key.
/// Entries are zips of the cached paths in &lt;cache dir&gt;/&lt;sha256(key)&gt;.zip with the key beside them.
/// </summary>
public sealed partial class LocalBuildCache(string cacheDirectory)
{
    public const string DefaultKey = "default";

    /// <summary>Expands <c>$(codebuild-hash-files glob ...)</c> in a key to a hash of the matched files' contents.</summary>
    public static string ExpandKey(string key, string sourceRoot) =>
        HashFilesPattern().Replace(key, match =>
        {
            var globs = match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var files = ArtifactPackager.Match(sourceRoot, new ArtifactSpec(globs));
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var file in files)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(file + "\0"));
                hash.AppendData(File.ReadAllBytes(Path.Combine(sourceRoot, file)));
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        });

    /// <summary>The globs a key's <c>$(codebuild-hash-files ...)</c> hash: their files must be there when the key is expanded.</summary>
    public static IEnumerable<string> HashedGlobs(string key) =>
        HashFilesPattern().Matches(key).SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// Restores the best entry into the source tree; returns the key restored, or null on a miss. Entries saved from
    /// absolute paths go back to those paths only when <paramref name="absolutePaths"/> (not for a pod: they would land here).
    /// </summary>
    public string? Restore(CacheSpec spec, string sourceRoot, bool absolutePaths = true)
    {
        var key = ExpandKey(spec.Key ?? DefaultKey, sourceRoot);
        var chosen = File.Exists(EntryPath(key)) ? key : null;
        foreach (var fallback in spec.FallbackKeys ?? [])
        {
            if (chosen is not null)
            {
                break;
            }

            var prefix = ExpandKey(fallback, sourceRoot);
            chosen = Keys().Where(k => k.Key.StartsWith(prefix, StringComparison.Ordinal))
                .OrderByDescending(k => k.Written).Select(k => k.Key).FirstOrDefault();
        }

        if (chosen is null)
        {
            return null;
        }

        using var archive = ZipFile.OpenRead(EntryPath(chosen));
        foreach (var entry in archive.Entries.Where(e => absolutePaths || !e.FullName.StartsWith("abs/", StringComparison.Ordinal)))
        {
            var destination = entry.FullName.StartsWith("abs/", StringComparison.Ordinal)
                ? "/" + entry.FullName[4..]
                : Path.Combine(sourceRoot, entry.FullName[4..]);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            entry.ExtractToFile(destination, overwrite: true);
        }

        return chosen;
    }

    /// <summary>Saves every file matched by the cache paths under the (expanded) key; returns the file count.</summary>
    public int Save(CacheSpec spec, string sourceRoot)
    {
        var key = ExpandKey(spec.Key ?? DefaultKey, sourceRoot);
        Directory.CreateDirectory(cacheDirectory);
        var temporary = EntryPath(key) + ".tmp";
        var count = 0;
        using (var archive = ZipFile.Open(temporary, ZipArchiveMode.Create))
        {
            foreach (var pattern in spec.Paths)
            {
                var absolute = Path.IsPathRooted(pattern);
                var root = absolute ? "/" : sourceRoot;
                var relative = absolute ? pattern.TrimStart('/') : pattern;
                var literalPrefix = string.Join('/', relative.Split('/').TakeWhile(s => !s.Contains('*', StringComparison.Ordinal) && !s.Contains('?', StringComparison.Ordinal)));
                var searchRoot = Path.Combine(root, literalPrefix);
                if (!Directory.Exists(searchRoot))
                {
                    continue;
                }

                var glob = new PathGlob(relative);
                foreach (var file in Directory.EnumerateFiles(searchRoot, "*", SearchOption.AllDirectories))
                {
                    var path = Path.GetRelativePath(root, file).Replace('\\', '/');
                    if (glob.IsMatch(path))
                    {
                        archive.CreateEntryFromFile(file, (absolute ? "abs/" : "src/") + path, CompressionLevel.Fastest);
                        count++;
                    }
                }
            }
        }

        File.Move(temporary, EntryPath(key), overwrite: true);
        File.WriteAllText(EntryPath(key) + ".key", key);
        return count;
    }

    private string EntryPath(string key) =>
        Path.Combine(cacheDirectory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))) + ".zip");

    private IEnumerable<(string Key, DateTime Written)> Keys() =>
        Directory.Exists(cacheDirectory)
            ? Directory.EnumerateFiles(cacheDirectory, "*.zip.key").Select(f => (File.ReadAllText(f), File.GetLastWriteTimeUtc(f[..^4])))
            : [];

    [GeneratedRegex(@"\$\(codebuild-hash-files\s+([^)]*)\)")]
    private static partial Regex HashFilesPattern();
}
