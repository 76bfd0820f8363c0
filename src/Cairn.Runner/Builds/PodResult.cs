using System.Buffers;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Cairn.Core.Builds;

namespace Cairn.Runner.Builds;

/// <summary>
/// What a pod build sends back after POST_BUILD on its log (<see cref="PodScript"/>'s result block): marker lines
/// "export NAME base64", then "files N", N bytes of a gzipped tar as "data base64" lines, "files-end" (or "toolarge N",
/// or "nofiles reason"). The build's own commands know the marker, so the block is checked as untrusted input: only the
/// names asked for, one files block of the declared length within the cap, and an archive of plain files and directories
/// under the output directory. The first problem wins and nothing of the block is used.
/// </summary>
internal sealed class PodResult(IReadOnlyCollection<string> exportNames, bool expectsFiles, long maxArchiveBytes)
{
    /// <summary>At most this many bytes are written when the archive is unpacked (a small gzip can unpack to a lot).</summary>
    public const long MaxUnpackedBytes = 1L << 30;

    private readonly Dictionary<string, string> _exports = new(StringComparer.Ordinal);
    private ArrayBufferWriter<byte>? _archive;
    private long _declared;
    private bool _filesEnded;

    /// <summary>Why the block cannot be used (malformed, cut, forged); null when it can.</summary>
    public string? Problem { get; private set; }

    /// <summary>The archive's size when the pod found it over the cap (it then sent none).</summary>
    public long? TooLarge { get; private set; }

    /// <summary>Why the pod could not pack the files (tar failed).</summary>
    public string? PackFailure { get; private set; }

    public bool Expected => exportNames.Count > 0 || expectsFiles;

    public bool ExpectsFiles => expectsFiles;

    public IReadOnlyList<ExportedVariable> Exports =>
        exportNames.Where(_exports.ContainsKey).Select(n => new ExportedVariable(n, _exports[n])).ToList();

    public static bool IsVerb(string word) => word is "export" or "files" or "data" or "files-end" or "toolarge" or "nofiles";

    /// <summary>Takes one marker line's verb and the rest of the line.</summary>
    public void Accept(string verb, string rest)
    {
        if (Problem is not null)
        {
            return;
        }

        switch (verb)
        {
            case "export":
                var parts = rest.Split(' ', 2);
                if (!exportNames.Contains(parts[0]) || _exports.ContainsKey(parts[0]))
                {
                    Fail($"an exported variable '{Clip(parts[0])}' that was not asked for, or twice");
                }
                else if (Decode(parts.Length > 1 ? parts[1] : "") is { } value)
                {
                    _exports[parts[0]] = Encoding.UTF8.GetString(value);
                }

                break;
            case "files" when _archive is null && TooLarge is null && PackFailure is null:
                if (!expectsFiles || !long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out _declared) || _declared > maxArchiveBytes)
                {
                    Fail($"a files block of '{Clip(rest)}' bytes (the cap is {maxArchiveBytes})");
                    break;
                }

                _archive = new ArrayBufferWriter<byte>();
                break;
            case "data" when _archive is not null && !_filesEnded:
                if (Decode(rest) is { } bytes)
                {
                    if (_archive.WrittenCount + bytes.Length > _declared)
                    {
                        Fail($"more data than the {_declared} bytes declared");
                        break;
                    }

                    _archive.Write(bytes.AsSpan());
                }

                break;
            case "files-end" when _archive is not null && !_filesEnded:
                _filesEnded = true;
                if (_archive.WrittenCount != _declared)
                {
                    Fail($"{_archive.WrittenCount} bytes of the {_declared} declared: the log was cut");
                }

                break;
            case "toolarge" when expectsFiles && _archive is null && TooLarge is null && PackFailure is null:
                TooLarge = long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : maxArchiveBytes + 1;
                break;
            case "nofiles" when expectsFiles && _archive is null && TooLarge is null && PackFailure is null:
                PackFailure = Clip(rest);
                break;
            default:
                Fail($"an unexpected '{verb}' line");
                break;
        }
    }

    /// <summary>After the log ended: whatever was expected and did not arrive is a problem.</summary>
    public void Complete()
    {
        if (Problem is not null)
        {
            return;
        }

        if (exportNames.Count > 0 && _exports.Count == 0 && _archive is null && TooLarge is null && PackFailure is null)
        {
            Fail("the log ended before the block");
        }
        else if (expectsFiles && !_filesEnded && TooLarge is null && PackFailure is null)
        {
            Fail(_archive is null ? "the log ended before the files" : "the log ended inside the files: it was cut");
        }
        else if (exportNames.Any(n => !_exports.ContainsKey(n)))
        {
            Fail("an exported variable is missing");
        }
    }

    /// <summary>Unpacks the archive (regular files and directories only) into <paramref name="directory"/>; false with <see cref="Problem"/> set when it cannot.</summary>
    public bool Unpack(string directory, out int skippedLinks)
    {
        skippedLinks = 0;
        if (_archive is not { WrittenCount: > 0 } written)
        {
            return Problem is null;
        }

        var root = Path.GetFullPath(directory);
        long unpacked = 0;
        try
        {
            using var archive = new MemoryStream(written.WrittenMemory.ToArray(), writable: false);
            using var gzip = new GZipStream(archive, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                var name = entry.Name.Replace('\\', '/');
                while (name.StartsWith("./", StringComparison.Ordinal))
                {
                    name = name[2..];
                }

                name = name.TrimEnd('/');
                if (name is "" or ".")
                {
                    continue;
                }

                if (name.StartsWith('/') || name.Split('/').Any(s => s == ".."))
                {
                    Fail($"an archive entry '{Clip(name)}' outside the source directory");
                    return false;
                }

                var destination = Path.GetFullPath(Path.Combine(root, name));
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(destination);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        unpacked += entry.Length;
                        if (unpacked > MaxUnpackedBytes)
                        {
                            Fail($"an archive that unpacks to more than {MaxUnpackedBytes >> 20} MiB");
                            return false;
                        }

                        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                        using (var file = new FileStream(destination, FileMode.Create, FileAccess.Write))
                        {
                            entry.DataStream?.CopyTo(file);
                        }

                        File.SetUnixFileMode(destination, (UnixFileMode)((int)entry.Mode & 0x1ff) | UnixFileMode.UserRead | UnixFileMode.UserWrite);
                        break;
                    default:
                        // Links (which could point out of the tree), devices, fifos: not packaged by UPLOAD_ARTIFACTS either.
                        skippedLinks++;
                        break;
                }
            }
        }
        catch (Exception error) when (error is InvalidDataException or FormatException or EndOfStreamException)
        {
            Fail($"the files are not a gzipped tar: {error.Message}");
            return false;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A file where the archive later wants a directory, or this host's disk.
            Fail($"the files cannot be unpacked: {error.Message}");
            return false;
        }

        return true;
    }

    private byte[]? Decode(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            Fail($"'{Clip(text)}' is not base64");
            return null;
        }
    }

    /// <summary>Marks the block unusable (a block line where none may be: before POST_BUILD ended).</summary>
    public void Fail(string problem) => Problem ??= problem;

    private static string Clip(string text) => text.Length > 60 ? text[..60] + "..." : text;
}
