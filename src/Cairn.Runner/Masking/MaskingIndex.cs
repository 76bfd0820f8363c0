using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cairn.Runner.Masking;

/// <summary>
/// An immutable search structure over every byte pattern to mask: a trie of all patterns, a bitmap of hashed
/// 4-byte pattern prefixes that rules out almost every position with one load, and the trie node reached by each
/// 4-byte prefix. A new index is built whenever a secret is added; scans in progress keep the one they started with.
/// </summary>
internal sealed class MaskingIndex
{
    private const uint HashMultiplier = 0x9E3779B1;
    private const int PrefixLength = 4;

    public static readonly MaskingIndex Empty = Build([]);

    private readonly ulong[] _bitmap;
    private readonly int _hashShift;
    private readonly Dictionary<uint, int> _nodeAfterPrefix;
    private readonly bool[] _startsShortPattern;
    private readonly bool _hasShortPatterns;
    private readonly Dictionary<long, int> _edges;
    private readonly bool[] _terminal;
    private readonly bool[] _hasChildren;
    private readonly SkipTable? _skip;

    private MaskingIndex(
        ulong[] bitmap, int hashShift, Dictionary<uint, int> nodeAfterPrefix, bool[] startsShortPattern,
        Dictionary<long, int> edges, bool[] terminal, bool[] hasChildren, IReadOnlyCollection<byte[]> patterns, int maxLength)
    {
        _bitmap = bitmap;
        _hashShift = hashShift;
        _nodeAfterPrefix = nodeAfterPrefix;
        _startsShortPattern = startsShortPattern;
        _hasShortPatterns = Array.IndexOf(startsShortPattern, true) >= 0;
        _edges = edges;
        _terminal = terminal;
        _hasChildren = hasChildren;
        PatternCount = patterns.Count;
        MaxLength = maxLength;
        _skip = _hasShortPatterns ? null : SkipTable.Build(patterns);
    }

    public int PatternCount { get; }

    /// <summary>Longest pattern in bytes; a stream never holds back more than one byte less than this.</summary>
    public int MaxLength { get; }

    public static MaskingIndex Build(IReadOnlyCollection<byte[]> patterns)
    {
        var bits = (int)Math.Clamp(BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, patterns.Count) * 256), 1u << 12, 1u << 18);
        var hashBits = BitOperations.Log2((uint)bits);
        var bitmap = new ulong[bits / 64];
        var nodeAfterPrefix = new Dictionary<uint, int>();
        var startsShortPattern = new bool[256];
        var edges = new Dictionary<long, int>();
        var terminal = new List<bool> { false };
        var hasChildren = new List<bool> { false };
        var maxLength = 0;

        foreach (var pattern in patterns)
        {
            if (pattern.Length == 0)
            {
                continue;
            }

            maxLength = Math.Max(maxLength, pattern.Length);
            var node = 0;
            for (var depth = 0; depth < pattern.Length; depth++)
            {
                var key = EdgeKey(node, pattern[depth]);
                if (!edges.TryGetValue(key, out var child))
                {
                    child = terminal.Count;
                    terminal.Add(false);
                    hasChildren.Add(false);
                    hasChildren[node] = true;
                    edges.Add(key, child);
                }

                node = child;
                if (depth == PrefixLength - 1)
                {
                    var prefix = Unsafe.ReadUnaligned<uint>(ref pattern[0]);
                    nodeAfterPrefix[prefix] = node;
                    var hash = Hash(prefix, 32 - hashBits);
                    bitmap[hash >> 6] |= 1UL << (int)hash;
                }
            }

            terminal[node] = true;
            if (pattern.Length < PrefixLength)
            {
                startsShortPattern[pattern[0]] = true;
            }
        }

        return new MaskingIndex(
            bitmap, 32 - hashBits, nodeAfterPrefix, startsShortPattern, edges, [.. terminal], [.. hasChildren],
            patterns, maxLength);
    }

    /// <summary>
    /// Masks <paramref name="data"/> into <paramref name="output"/> up to the first position where a pattern might
    /// still complete with bytes not yet seen, and returns how many bytes were consumed; the rest must be offered
    /// again with more data (or with <paramref name="final"/> set, when no more data will come).
    /// </summary>
    /// <param name="rangeEnd">End of the masked range already written, relative to <paramref name="data"/>'s start
    /// (-1 for none); a match starting at or before it merges into it. Updated for the unconsumed remainder.</param>
    public int Scan(ReadOnlySpan<byte> data, bool final, ref int rangeEnd, Stream output)
    {
        var length = data.Length;
        var rawStart = Math.Max(0, rangeEnd);
        var consumed = length;
        var fastEnd = length - (PrefixLength - 1);
        var position = 0;
        var windowEnd = _skip is null ? 0 : length - _skip.WindowLength + 1;
        while (position < length)
        {
            if (position < windowEnd)
            {
                position = _skip!.NextCandidate(data, position, windowEnd, this);
                if (position >= windowEnd)
                {
                    continue;
                }
            }
            else if (position < fastEnd)
            {
                position = NextCandidate(data, position, fastEnd);
                if (position >= fastEnd)
                {
                    continue;
                }
            }

            var match = LongestMatchAt(data, position, final, out var undecided);
            if (undecided)
            {
                consumed = position;
                break;
            }

            if (match > 0)
            {
                if (position <= rangeEnd)
                {
                    rangeEnd = Math.Max(rangeEnd, position + match);
                }
                else
                {
                    if (position > rawStart)
                    {
                        output.Write(data[rawStart..position]);
                    }

                    output.Write(SecretMasker.MaskBytes);
                    rangeEnd = position + match;
                }

                rawStart = Math.Max(rawStart, rangeEnd);
            }

            position++;
        }

        if (consumed > rawStart)
        {
            output.Write(data[rawStart..consumed]);
        }

        rangeEnd = rangeEnd >= consumed ? rangeEnd - consumed : -1;
        return consumed;
    }

    /// <summary>Whether a pattern of at least four bytes may start at <paramref name="position"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool MayStartAt(ref byte data, int position)
    {
        var hash = Hash(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref data, position)), _hashShift);
        return (_bitmap[hash >> 6] & (1UL << (int)hash)) != 0;
    }

    /// <summary>First position in [from, to) where a pattern may start; <paramref name="to"/> when there is none.</summary>
    private int NextCandidate(ReadOnlySpan<byte> data, int from, int to)
    {
        ref var start = ref MemoryMarshal.GetReference(data);
        ref var bitmap = ref MemoryMarshal.GetArrayDataReference(_bitmap);
        var shift = _hashShift;
        if (_hasShortPatterns)
        {
            ref var shortStart = ref MemoryMarshal.GetArrayDataReference(_startsShortPattern);
            for (var i = from; i < to; i++)
            {
                if (Unsafe.Add(ref shortStart, Unsafe.Add(ref start, i)))
                {
                    return i;
                }

                var hash = Hash(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, i)), shift);
                if ((Unsafe.Add(ref bitmap, (int)(hash >> 6)) & (1UL << (int)hash)) != 0)
                {
                    return i;
                }
            }

            return to;
        }

        var position = from;
        // Four positions per round: the loads and hashes are independent, so the CPU overlaps them.
        for (; position + 3 < to; position += 4)
        {
            var h0 = Hash(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, position)), shift);
            var h1 = Hash(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, position + 1)), shift);
            var h2 = Hash(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, position + 2)), shift);
            var h3 = Hash(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, position + 3)), shift);
            var any = (Unsafe.Add(ref bitmap, (int)(h0 >> 6)) >> (int)(h0 & 63))
                | (Unsafe.Add(ref bitmap, (int)(h1 >> 6)) >> (int)(h1 & 63))
                | (Unsafe.Add(ref bitmap, (int)(h2 >> 6)) >> (int)(h2 & 63))
                | (Unsafe.Add(ref bitmap, (int)(h3 >> 6)) >> (int)(h3 & 63));
            if ((any & 1) != 0)
            {
                break;
            }
        }

        for (; position < to; position++)
        {
            var hash = Hash(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, position)), shift);
            if ((Unsafe.Add(ref bitmap, (int)(hash >> 6)) & (1UL << (int)hash)) != 0)
            {
                return position;
            }
        }

        return to;
    }

    /// <summary>
    /// Length of the longest pattern starting at <paramref name="position"/> (0 for none). <paramref name="undecided"/>
    /// is set when the data ends while a longer pattern could still match and more data may come.
    /// </summary>
    private int LongestMatchAt(ReadOnlySpan<byte> data, int position, bool final, out bool undecided)
    {
        undecided = false;
        int node;
        int depth;
        if (position + PrefixLength > data.Length || _startsShortPattern[data[position]])
        {
            node = 0;
            depth = 0;
        }
        else
        {
            // No pattern shorter than the prefix starts with this byte, so the prefix node is the first that can match.
            if (!_nodeAfterPrefix.TryGetValue(Unsafe.ReadUnaligned<uint>(in data[position]), out node))
            {
                return 0;
            }

            depth = PrefixLength;
        }

        var longest = _terminal[node] ? depth : 0;
        while (_hasChildren[node])
        {
            if (position + depth >= data.Length)
            {
                undecided = !final;
                break;
            }

            if (!_edges.TryGetValue(EdgeKey(node, data[position + depth]), out node))
            {
                break;
            }

            depth++;
            if (_terminal[node])
            {
                longest = depth;
            }
        }

        return longest;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(uint prefix, int shift) => (prefix * HashMultiplier) >> shift;

    private static long EdgeKey(int node, byte next) => ((long)node << 8) | next;
}
