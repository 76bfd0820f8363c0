using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cairn.Runner.Masking;

/// <summary>
/// Wu-Manber style skipping: looks at the last four bytes of a window as long as the shortest pattern and jumps
/// ahead by how far those bytes are from the end of any pattern's start, so most text is never looked at byte by
/// byte. Only built when every pattern is at least <see cref="MinimumWindow"/> bytes long.
/// </summary>
internal sealed class SkipTable
{
    private const int MinimumWindow = 8;
    private const int MaximumWindow = 64;
    private const int BlockLength = 4;
    private const uint HashMultiplier = 0x85EBCA6B;

    private readonly byte[] _shifts;
    private readonly int _hashShift;

    private SkipTable(byte[] shifts, int hashShift, int windowLength)
    {
        _shifts = shifts;
        _hashShift = hashShift;
        WindowLength = windowLength;
    }

    /// <summary>Bytes of a pattern's start that a window covers: the shortest pattern's length, capped.</summary>
    public int WindowLength { get; }

    public static SkipTable? Build(IReadOnlyCollection<byte[]> patterns)
    {
        if (patterns.Count == 0)
        {
            return null;
        }

        var window = Math.Min(MaximumWindow, patterns.Min(p => p.Length));
        if (window < MinimumWindow)
        {
            return null;
        }

        var blocks = patterns.Count * (window - BlockLength + 1);
        var size = (int)Math.Clamp(BitOperations.RoundUpToPowerOf2((uint)blocks * 4), 1u << 12, 1u << 16);
        var hashShift = 32 - BitOperations.Log2((uint)size);
        var shifts = new byte[size];
        Array.Fill(shifts, (byte)(window - BlockLength + 1));
        foreach (var pattern in patterns)
        {
            for (var end = BlockLength - 1; end < window; end++)
            {
                var hash = Hash(Unsafe.ReadUnaligned<uint>(ref pattern[end - BlockLength + 1]), hashShift);
                shifts[hash] = (byte)Math.Min(shifts[hash], window - 1 - end);
            }
        }

        return new SkipTable(shifts, hashShift, window);
    }

    /// <summary>First window start in [from, to) where a pattern may start; <paramref name="to"/> when there is none.</summary>
    public int NextCandidate(ReadOnlySpan<byte> data, int from, int to, MaskingIndex index)
    {
        ref var start = ref MemoryMarshal.GetReference(data);
        ref var shifts = ref MemoryMarshal.GetArrayDataReference(_shifts);
        var lastBlock = WindowLength - BlockLength;
        var hashShift = _hashShift;
        var position = from;
        while (position < to)
        {
            var hash = Hash(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, position + lastBlock)), hashShift);
            int shift = Unsafe.Add(ref shifts, (int)hash);
            if (shift == 0)
            {
                if (index.MayStartAt(ref start, position))
                {
                    return position;
                }

                shift = 1;
            }

            position += shift;
        }

        return to;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(uint block, int shift) => (block * HashMultiplier) >> shift;
}
