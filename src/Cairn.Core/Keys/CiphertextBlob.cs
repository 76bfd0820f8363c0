using System.Security.Cryptography;

namespace Cairn.Core.Keys;

/// <summary>
/// The ciphertext Cairn's KMS hands out, self-describing so Decrypt needs no key id, as in KMS:
/// <c>version (1) | key id (16, UUID big-endian) | nonce (12) | AES-256-GCM ciphertext (n) | tag (16)</c>.
/// The associated data is the version and key id followed by the canonical encryption context, so a changed header,
/// body or context fails authentication.
/// </summary>
public static class CiphertextBlob
{
    public const byte Version1 = 1;
    public const int KeyIdSize = 16;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int HeaderSize = 1 + KeyIdSize;
    public const int Overhead = HeaderSize + NonceSize + TagSize;

    /// <summary>Encrypts under a key's 32-byte material.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> keyMaterial, string keyId, ReadOnlySpan<byte> plaintext, IReadOnlyDictionary<string, string>? encryptionContext)
    {
        var blob = new byte[Overhead + plaintext.Length];
        blob[0] = Version1;
        if (!Guid.TryParseExact(keyId, "D", out var id) || !id.TryWriteBytes(blob.AsSpan(1, KeyIdSize), bigEndian: true, out _))
        {
            throw new ArgumentException($"Key id '{keyId}' is not a UUID.", nameof(keyId));
        }

        var nonce = blob.AsSpan(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keyMaterial, TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(HeaderSize + NonceSize, plaintext.Length), blob.AsSpan(blob.Length - TagSize),
            AssociatedData(blob, encryptionContext));
        return blob;
    }

    /// <summary>Reads the key id a blob names (lowercase UUID), or null when it is not a blob of a known format.</summary>
    public static string? ReadKeyId(ReadOnlySpan<byte> blob) =>
        blob.Length < Overhead || blob[0] != Version1 ? null : new Guid(blob.Slice(1, KeyIdSize), bigEndian: true).ToString("D");

    /// <summary>Decrypts; null when the blob, its key or its encryption context do not authenticate.</summary>
    public static byte[]? TryDecrypt(ReadOnlySpan<byte> keyMaterial, ReadOnlySpan<byte> blob, IReadOnlyDictionary<string, string>? encryptionContext)
    {
        if (ReadKeyId(blob) is null)
        {
            return null;
        }

        var length = blob.Length - Overhead;
        var plaintext = new byte[length];
        using var aes = new AesGcm(keyMaterial, TagSize);
        try
        {
            aes.Decrypt(blob.Slice(HeaderSize, NonceSize), blob.Slice(HeaderSize + NonceSize, length), blob[^TagSize..], plaintext,
                AssociatedData(blob, encryptionContext));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return null;
        }
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> blob, IReadOnlyDictionary<string, string>? encryptionContext)
    {
        var context = EncryptionContext.Canonicalize(encryptionContext);
        var aad = new byte[HeaderSize + context.Length];
        blob[..HeaderSize].CopyTo(aad);
        context.CopyTo(aad, HeaderSize);
        return aad;
    }
}
