using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Cairn.Core.Keys;

/// <summary>
/// The ciphertext Cairn's KMS hands out, self-describing so Decrypt needs no key id, as in KMS. Version 1, under a key's
/// first material: <c>0x01 | key id (16, UUID big-endian) | nonce (12) | AES-256-GCM ciphertext (n) | tag (16)</c>.
/// Version 2, under material a rotation added: <c>0x02 | key id (16) | material version (4, u32 BE) | nonce | ciphertext | tag</c>.
/// The associated data is the header (version, key id, material version) followed by the canonical encryption context,
/// so a changed header, body or context fails authentication.
/// </summary>
public static class CiphertextBlob
{
    public const byte Version1 = 1;
    public const byte Version2 = 2;
    public const int KeyIdSize = 16;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int HeaderSize = 1 + KeyIdSize;
    public const int Overhead = HeaderSize + NonceSize + TagSize;
    public const int Version2HeaderSize = HeaderSize + 4;

    /// <summary>Encrypts under a key's first 32-byte material (version 1 blob).</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> keyMaterial, string keyId, ReadOnlySpan<byte> plaintext, IReadOnlyDictionary<string, string>? encryptionContext) =>
        Encrypt(keyMaterial, keyId, materialVersion: 0, plaintext, encryptionContext);

    /// <summary>Encrypts under one material version of a key: version 0 makes a version 1 blob, any later one a version 2 blob.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> keyMaterial, string keyId, int materialVersion, ReadOnlySpan<byte> plaintext,
        IReadOnlyDictionary<string, string>? encryptionContext)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(materialVersion);
        var headerSize = materialVersion == 0 ? HeaderSize : Version2HeaderSize;
        var blob = new byte[headerSize + NonceSize + TagSize + plaintext.Length];
        blob[0] = materialVersion == 0 ? Version1 : Version2;
        if (!Guid.TryParseExact(keyId, "D", out var id) || !id.TryWriteBytes(blob.AsSpan(1, KeyIdSize), bigEndian: true, out _))
        {
            throw new ArgumentException($"Key id '{keyId}' is not a UUID.", nameof(keyId));
        }

        if (materialVersion != 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(HeaderSize, 4), (uint)materialVersion);
        }

        var nonce = blob.AsSpan(headerSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keyMaterial, TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(headerSize + NonceSize, plaintext.Length), blob.AsSpan(blob.Length - TagSize),
            AssociatedData(blob.AsSpan(0, headerSize), encryptionContext));
        return blob;
    }

    /// <summary>Reads the key id a blob names (lowercase UUID), or null when it is not a blob of a known format.</summary>
    public static string? ReadKeyId(ReadOnlySpan<byte> blob) =>
        HeaderSizeOf(blob) is 0 ? null : new Guid(blob.Slice(1, KeyIdSize), bigEndian: true).ToString("D");

    /// <summary>The material version a blob was made under (0 for version 1 blobs), or null when it is not a known format.</summary>
    public static int? ReadMaterialVersion(ReadOnlySpan<byte> blob) => HeaderSizeOf(blob) switch
    {
        0 => null,
        HeaderSize => 0,
        _ => BinaryPrimitives.ReadUInt32BigEndian(blob.Slice(HeaderSize, 4)) is var version and > 0 and <= int.MaxValue ? (int)version : null,
    };

    /// <summary>Decrypts; null when the blob, its key or its encryption context do not authenticate.</summary>
    public static byte[]? TryDecrypt(ReadOnlySpan<byte> keyMaterial, ReadOnlySpan<byte> blob, IReadOnlyDictionary<string, string>? encryptionContext)
    {
        var headerSize = HeaderSizeOf(blob);
        if (headerSize == 0 || ReadMaterialVersion(blob) is null)
        {
            return null;
        }

        var length = blob.Length - headerSize - NonceSize - TagSize;
        var plaintext = new byte[length];
        using var aes = new AesGcm(keyMaterial, TagSize);
        try
        {
            aes.Decrypt(blob.Slice(headerSize, NonceSize), blob.Slice(headerSize + NonceSize, length), blob[^TagSize..], plaintext,
                AssociatedData(blob[..headerSize], encryptionContext));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return null;
        }
    }

    /// <summary>The header's size by its version byte; 0 when the blob is too short or of no known version.</summary>
    private static int HeaderSizeOf(ReadOnlySpan<byte> blob) => blob.Length == 0 ? 0 : blob[0] switch
    {
        Version1 when blob.Length >= Overhead => HeaderSize,
        Version2 when blob.Length >= Version2HeaderSize + NonceSize + TagSize => Version2HeaderSize,
        _ => 0,
    };

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, IReadOnlyDictionary<string, string>? encryptionContext)
    {
        var context = EncryptionContext.Canonicalize(encryptionContext);
        var aad = new byte[header.Length + context.Length];
        header.CopyTo(aad);
        context.CopyTo(aad, header.Length);
        return aad;
    }
}
