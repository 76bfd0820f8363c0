using System.IO.Compression;

namespace Cairn.Runner.Artifacts;

public enum ArtifactPackaging
{
    Directory,
    Zip,
}

/// <summary>
/// Collects a build's artifacts as CodeBuild's UPLOAD_ARTIFACTS does: files matched under base-directory, minus
/// exclude-paths, paths kept or discarded, into a directory or a zip named after the artifact.
/// </summary>
public static class ArtifactPackager
{
    /// <summary>Files under <paramref name="root"/> matching the spec, as '/'-separated paths relative to the base directory.</summary>
    public static IReadOnlyList<string> Match(string root, ArtifactSpec spec)
    {
        var baseDirectory = ResolveBase(root, spec);
        if (!Directory.Exists(baseDirectory))
        {
            throw new ArtifactException($"base-directory '{spec.BaseDirectory}' does not exist under the source directory.");
        }

        var include = spec.Files.Select(f => new PathGlob(f)).ToList();
        var exclude = (spec.ExcludePaths ?? []).Select(f => new PathGlob(f)).ToList();
        return Directory.EnumerateFiles(baseDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(baseDirectory, f).Replace('\\', '/'))
            .Where(f => include.Any(g => g.IsMatch(f)) && !exclude.Any(g => g.IsMatch(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static ArtifactResult Package(string root, ArtifactSpec spec, string outputDirectory, ArtifactPackaging packaging)
    {
        var files = Match(root, spec);
        if (files.Count == 0)
        {
            var patterns = string.Join(", ", spec.Files);
            throw new ArtifactException($"no matching artifact paths found (files: {patterns}{(spec.BaseDirectory is null ? string.Empty : $", base-directory: {spec.BaseDirectory}")})");
        }

        var baseDirectory = ResolveBase(root, spec);
        var name = spec.Name ?? spec.Identifier ?? "artifacts";
        var entries = files.Select(f => (Source: Path.Combine(baseDirectory, f), Entry: spec.DiscardPaths ? Path.GetFileName(f) : f)).ToList();
        var clash = entries.GroupBy(e => e.Entry, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new ArtifactException($"discard-paths would put {clash.Count()} files at '{clash.Key}': {string.Join(", ", clash.Select(c => Path.GetRelativePath(baseDirectory, c.Source)))}");
        }

        Directory.CreateDirectory(outputDirectory);
        if (packaging == ArtifactPackaging.Zip)
        {
            var zip = Path.Combine(outputDirectory, name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? name : name + ".zip");
            File.Delete(zip);
            using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
            foreach (var (source, entry) in entries)
            {
                archive.CreateEntryFromFile(source, entry, CompressionLevel.Fastest);
            }

            return new ArtifactResult(name, zip, files) { Identifier = spec.Identifier };
        }

        var target = Path.Combine(outputDirectory, name);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        foreach (var (source, entry) in entries)
        {
            var destination = Path.Combine(target, entry);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(source, destination);
        }

        return new ArtifactResult(name, target, files) { Identifier = spec.Identifier };
    }

    private static string ResolveBase(string root, ArtifactSpec spec)
    {
        var full = Path.GetFullPath(Path.Combine(root, spec.BaseDirectory ?? "."));
        var rootFull = Path.GetFullPath(root);
        if (!full.StartsWith(rootFull, StringComparison.Ordinal))
        {
            throw new ArtifactException($"base-directory '{spec.BaseDirectory}' points outside the source directory.");
        }

        return full;
    }
}
