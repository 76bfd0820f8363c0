using System.Text;
using Cairn.Storage.BuildLogs;

namespace Cairn.Storage.Files;

/// <summary>One line of a log file: "&lt;unix ms&gt;\t&lt;text&gt;\n", as Cairn has always written them.</summary>
internal static class LogLine
{
    /// <summary>The most bytes a line of <paramref name="textLength"/> characters takes.</summary>
    public static int MaxBytes(int textLength) => 20 + 1 + Encoding.UTF8.GetMaxByteCount(textLength) + 1;

    /// <summary>The bytes a line of UTF-8 <paramref name="text"/> takes, at most.</summary>
    public static int MaxBytes(ReadOnlySpan<byte> text) => 20 + 1 + text.Length + 1;

    /// <summary>Writes the line of UTF-8 <paramref name="text"/> (no newline in it) into <paramref name="destination"/>; returns its length.</summary>
    public static int Format(long unixMs, ReadOnlySpan<byte> text, Span<byte> destination)
    {
        unixMs.TryFormat(destination, out var length, default, System.Globalization.CultureInfo.InvariantCulture);
        destination[length++] = (byte)'\t';
        text.CopyTo(destination[length..]);
        length += text.Length;
        destination[length++] = (byte)'\n';
        return length;
    }

    /// <summary>Writes the line into <paramref name="destination"/>; returns its length.</summary>
    public static int Format(long unixMs, ReadOnlySpan<char> text, Span<byte> destination)
    {
        unixMs.TryFormat(destination, out var length, default, System.Globalization.CultureInfo.InvariantCulture);
        destination[length++] = (byte)'\t';
        length += Encoding.UTF8.GetBytes(text, destination[length..]);
        destination[length++] = (byte)'\n';
        return length;
    }

    /// <summary>The time of a line: its digits before the tab, 0 when it has none.</summary>
    public static long UnixMs(ReadOnlySpan<byte> line)
    {
        var tab = line.IndexOf((byte)'\t');
        if (tab <= 0 || tab > 19)
        {
            return 0;
        }

        long ms = 0;
        foreach (var digit in line[..tab])
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return 0;
            }

            ms = (ms * 10) + (digit - '0');
        }

        return ms;
    }

    /// <summary>The text of a line after its time, with its newline.</summary>
    public static ReadOnlySpan<byte> Message(ReadOnlySpan<byte> line) => line[(line.IndexOf((byte)'\t') + 1)..];

    public static BuildLogEvent Parse(long index, ReadOnlySpan<byte> line) =>
        new(index, DateTimeOffset.FromUnixTimeMilliseconds(UnixMs(line)), Encoding.UTF8.GetString(Message(line)));
}
