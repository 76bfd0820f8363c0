using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage.Files;

/// <summary>
/// The sidecar index of a log file ("log.idx"): a 16-byte header ("CAIRNLX1", then flags: bit 0 = complete) and one
/// 16-byte record per line: the byte offset just past the line's newline and its time in unix ms (never less than the
/// line before's, so times can be binary searched). Line i is found with two record reads, wherever it is in the log.
/// </summary>
internal static class LogIndex
{
    public const int HeaderSize = 16;
    public const int RecordSize = 16;

    private static ReadOnlySpan<byte> Magic => "CAIRNLX1"u8;

    /// <summary>The index's state; a missing, foreign or torn index is reset to an empty one (the log is then indexed again).</summary>
    public static IndexHead Load(SafeFileHandle index, ReadMeter meter)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        var length = RandomAccess.GetLength(index);
        if (length < HeaderSize || Read(index, header, 0, meter) < HeaderSize || !header[..8].SequenceEqual(Magic))
        {
            Reset(index);
            return new IndexHead(0, 0, 0, 0, false);
        }

        var count = (length - HeaderSize) / RecordSize;
        if (HeaderSize + (count * RecordSize) != length)
        {
            RandomAccess.SetLength(index, HeaderSize + (count * RecordSize));
        }

        var complete = (BinaryPrimitives.ReadInt64LittleEndian(header[8..]) & 1) != 0;
        if (count == 0)
        {
            return new IndexHead(0, 0, 0, 0, complete);
        }

        var (_, firstMs) = ReadRecord(index, 0, meter);
        var (bytes, lastMs) = ReadRecord(index, count - 1, meter);
        return new IndexHead(count, bytes, firstMs, lastMs, complete);
    }

    public static void Reset(SafeFileHandle index)
    {
        RandomAccess.SetLength(index, 0);
        WriteFlags(index, complete: false);
    }

    /// <summary>Sets the index's flags through a handle of its own, durably.</summary>
    public static void WriteFlags(string indexPath, bool complete)
    {
        using var index = File.OpenHandle(indexPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        WriteFlags(index, complete);
        RandomAccess.FlushToDisk(index);
    }

    public static void WriteFlags(SafeFileHandle index, bool complete)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], complete ? 1 : 0);
        RandomAccess.Write(index, header, 0);
    }

    /// <summary>Record <paramref name="line"/>: the offset just past the line and its time.</summary>
    public static (long End, long UnixMs) ReadRecord(SafeFileHandle index, long line, ReadMeter meter)
    {
        Span<byte> record = stackalloc byte[RecordSize];
        Read(index, record, Position(line), meter);
        return (BinaryPrimitives.ReadInt64LittleEndian(record), BinaryPrimitives.ReadInt64LittleEndian(record[8..]));
    }

    /// <summary>The byte offset where line <paramref name="line"/> starts.</summary>
    public static long StartOf(SafeFileHandle index, long line, ReadMeter meter) => line == 0 ? 0 : ReadRecord(index, line - 1, meter).End;

    /// <summary>The first line in [<paramref name="from"/>, <paramref name="to"/>) written at or after <paramref name="unixMs"/>, else <paramref name="to"/>.</summary>
    public static long FirstAtOrAfter(SafeFileHandle index, long from, long to, long unixMs, ReadMeter meter)
    {
        while (from < to)
        {
            var middle = from + ((to - from) / 2);
            if (ReadRecord(index, middle, meter).UnixMs < unixMs)
            {
                from = middle + 1;
            }
            else
            {
                to = middle;
            }
        }

        return from;
    }

    public static void WriteRecord(Span<byte> destination, long end, long unixMs)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, end);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], unixMs);
    }

    public static long Position(long line) => HeaderSize + (line * RecordSize);

    private static int Read(SafeFileHandle file, Span<byte> buffer, long offset, ReadMeter meter)
    {
        var read = RandomAccess.Read(file, buffer, offset);
        meter.Add(read);
        return read;
    }
}
