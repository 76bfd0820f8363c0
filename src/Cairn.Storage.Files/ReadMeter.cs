namespace Cairn.Storage.Files;

/// <summary>Counts the bytes a store read from its files: what shows that a range read touched only its range.</summary>
internal sealed class ReadMeter
{
    private long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Add(int bytes) => Interlocked.Add(ref _bytes, bytes);
}
