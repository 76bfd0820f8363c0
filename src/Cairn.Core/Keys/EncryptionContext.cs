using System.Buffers.Binary;
using System.Text;

namespace Cairn.Core.Keys;

/// <summary>
/// The canonical bytes of a KMS encryption context, bound to a ciphertext as AES-GCM associated data: pairs sorted by
/// key (ordinal), each key and value length-prefixed, so no two different contexts share an encoding. Empty and absent
/// contexts are the same, as in KMS.
/// </summary>
public static class EncryptionContext
{
    public static byte[] Canonicalize(IReadOnlyDictionary<string, string>? context)
    {
        var pairs = context is null ? [] : context.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        var size = 4;
        foreach (var (key, value) in pairs)
        {
            size += 8 + Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        }

        var bytes = new byte[size];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span, pairs.Length);
        var offset = 4;
        foreach (var (key, value) in pairs)
        {
            offset += WriteString(span[offset..], key);
            offset += WriteString(span[offset..], value);
        }

        return bytes;
    }

    private static int WriteString(Span<byte> destination, string text)
    {
        var length = Encoding.UTF8.GetBytes(text, destination[4..]);
        BinaryPrimitives.WriteInt32BigEndian(destination, length);
        return 4 + length;
    }
}
