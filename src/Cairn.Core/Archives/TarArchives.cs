using System.Formats.Tar;
using System.IO.Compression;

namespace Cairn.Core.Archives;

/// <summary>
/// A directory tree as a tar stream and back: regular files, directories (empty ones too) and symlinks, each with its
/// unix mode. Extraction trusts nothing in the archive: an absolute name, a ".." segment, a link whose target leaves
/// the directory, an entry written through a link, a hard link, a device or a fifo is refused with
/// <see cref="InvalidDataException"/> naming the entry.
/// </summary>
public static class TarArchives
{
    /// <summary>The tree as a gzipped tar (the form pipeline artifacts are stored and sent to agents in).</summary>
    public static async Task WriteGzipAsync(string directory, Stream output, CancellationToken cancellationToken)
    {
        await using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
        await WriteAsync(directory, gzip, cancellationToken);
    }

    /// <summary>Extracts a gzipped tar as <see cref="ExtractAsync"/> does; a stream that is not gzip is <see cref="InvalidDataException"/>.</summary>
    public static async Task ExtractGzipAsync(Stream input, string directory, CancellationToken cancellationToken)
    {
        await using var gzip = new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
        await ExtractAsync(gzip, directory, cancellationToken);
    }

    public static async Task WriteAsync(string directory, Stream output, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(directory);
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await WriteChildrenAsync(writer, root, new DirectoryInfo(root), cancellationToken);
    }

    public static async Task ExtractAsync(Stream input, string directory, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        var directoryModes = new List<(string Path, UnixFileMode Mode)>();
        var links = new List<(string Path, string Name, string Target)>();
        await using var reader = new TarReader(input, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var path = Target(root, entry.Name);
            RefuseLinkOnTheWay(root, path, entry.Name);
            if (new FileInfo(path).LinkTarget is not null)
            {
                throw new InvalidDataException($"the archive entry '{entry.Name}' would replace or write through the symbolic link extracted before it; refused.");
            }

            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(path);
                    directoryModes.Add((path, entry.Mode));
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    await using (var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
                    {
                        if (entry.DataStream is { } data)
                        {
                            await data.CopyToAsync(file, cancellationToken);
                        }
                    }

                    File.SetUnixFileMode(path, entry.Mode);
                    break;
                case TarEntryType.SymbolicLink:
                    RefuseEscapingLink(root, path, entry.Name, entry.LinkName);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    if (Path.Exists(path) || new FileInfo(path).LinkTarget is not null)
                    {
                        throw new InvalidDataException($"the archive entry '{entry.Name}' is a symbolic link over something already extracted; the archive is not one Cairn wrote.");
                    }

                    File.CreateSymbolicLink(path, entry.LinkName);
                    links.Add((path, entry.Name, entry.LinkName));
                    break;
                case TarEntryType.HardLink:
                    // A second name of a file already extracted (TarWriter writes one for a file with several links): a copy of it.
                    var original = Target(root, entry.LinkName);
                    RefuseLinkOnTheWay(root, original, entry.LinkName);
                    if (!File.Exists(original) || new FileInfo(original).LinkTarget is not null)
                    {
                        throw new InvalidDataException($"the archive entry '{entry.Name}' is a hard link to '{entry.LinkName}', which is not a file extracted before it; refused.");
                    }

                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.Copy(original, path, overwrite: true);
                    break;
                case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes:
                    break;
                default:
                    throw new InvalidDataException($"the archive entry '{entry.Name}' is a {entry.EntryType}; an artifact holds only files, directories and symbolic links.");
            }
        }

        // Checked again once everything is there: a link made later can turn another link's path into a way out.
        foreach (var (path, name, target) in links)
        {
            RefuseLinkThroughLink(root, path, name, target);
        }

        // Directory modes last: a read-only directory would refuse the entries below it.
        foreach (var (path, mode) in Enumerable.Reverse(directoryModes))
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>Each entry as lstat sees it (a link stays a link, modes and times kept), parents before children, in name order.</summary>
    private static async Task WriteChildrenAsync(TarWriter writer, string root, DirectoryInfo directory, CancellationToken cancellationToken)
    {
        foreach (var child in directory.EnumerateFileSystemInfos().OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetRelativePath(root, child.FullName).Replace('\\', '/');
            await writer.WriteEntryAsync(child.FullName, name, cancellationToken);
            if (child is DirectoryInfo subdirectory && child.LinkTarget is null)
            {
                await WriteChildrenAsync(writer, root, subdirectory, cancellationToken);
            }
        }
    }

    /// <summary>The entry's place under <paramref name="root"/>; absolute names and ".." segments are refused, not rewritten.</summary>
    private static string Target(string root, string name)
    {
        var normalized = name.Replace('\\', '/').TrimEnd('/');
        if (normalized.Length == 0 || normalized.StartsWith('/') || normalized.Split('/').Any(s => s == ".."))
        {
            throw new InvalidDataException($"the archive entry '{name}' {(normalized.StartsWith('/') ? "is an absolute path" : "leaves the directory it is extracted into")}; refused.");
        }

        var path = Path.GetFullPath(Path.Combine(root, normalized));
        if (!IsUnder(root, path) || path == root)
        {
            throw new InvalidDataException($"the archive entry '{name}' leaves the directory it is extracted into; refused.");
        }

        return path;
    }

    /// <summary>No entry is written through a link the archive made: a link may point anywhere inside, so its children could not be checked.</summary>
    private static void RefuseLinkOnTheWay(string root, string path, string name)
    {
        var current = root;
        foreach (var segment in Path.GetRelativePath(root, Path.GetDirectoryName(path)!).Split(Path.DirectorySeparatorChar).Where(s => s is not "."))
        {
            current = Path.Combine(current, segment);
            if (new DirectoryInfo(current).LinkTarget is not null)
            {
                throw new InvalidDataException($"the archive entry '{name}' would be written through the symbolic link '{Path.GetRelativePath(root, current)}'; refused.");
            }
        }
    }

    private static void RefuseEscapingLink(string root, string path, string name, string linkName)
    {
        if (string.IsNullOrEmpty(linkName) || linkName.StartsWith('/'))
        {
            throw new InvalidDataException($"the archive entry '{name}' is a symbolic link to the absolute path '{linkName}'; an artifact's links must stay inside it.");
        }

        var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, linkName));
        if (!IsUnder(root, resolved))
        {
            throw new InvalidDataException($"the archive entry '{name}' is a symbolic link to '{linkName}', outside the directory it is extracted into; refused.");
        }
    }

    /// <summary>Every directory a link's target passes through is a real directory inside the root, so it resolves where it reads.</summary>
    private static void RefuseLinkThroughLink(string root, string path, string name, string linkName)
    {
        var current = Path.GetDirectoryName(path)!;
        var segments = linkName.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var segment in segments.Take(segments.Length - 1))
        {
            current = segment == ".." ? Path.GetDirectoryName(current)! : Path.Combine(current, segment);
            if (!IsUnder(root, current) || (current != root && new DirectoryInfo(current).LinkTarget is not null))
            {
                File.Delete(path);
                throw new InvalidDataException($"the archive entry '{name}' is a symbolic link to '{linkName}', which passes through another link or out of the directory it is extracted into; refused.");
            }
        }
    }

    private static bool IsUnder(string root, string path) =>
        path == root || path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);
}
