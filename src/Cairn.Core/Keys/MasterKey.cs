using System.Security.Cryptography;
using System.Text;

namespace Cairn.Core.Keys;

/// <summary>
/// The one secret Cairn keeps outside its database: 32 bytes that wrap (AES-256-GCM) every KMS key's material at rest.
/// Its bytes never leave this type except through <see cref="ToBase64"/>, used once to write <c>master.key</c>.
/// </summary>
public sealed class MasterKey : IDisposable
{
    public const int Size = 32;

    private const byte WrapVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    // A fixed plaintext whose wrapped form is stored beside the keys: a wrong master key is caught at start, not on first decrypt.
    private static readonly byte[] CheckPlaintext = Encoding.ASCII.GetBytes("cairn master key check v1");
    private static readonly byte[] CheckContext = Encoding.ASCII.GetBytes("cairn:master-key-check:v1");

    private readonly byte[] _key;

    private MasterKey(byte[] key) => _key = key;

    public static MasterKey Generate() => new(RandomNumberGenerator.GetBytes(Size));

    public static MasterKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != Size)
        {
            throw new ArgumentException($"A master key is {Size} bytes; this one is {key.Length}.", nameof(key));
        }

        return new MasterKey(key.ToArray());
    }

    /// <summary>Parses base64 of 32 bytes (CAIRN_MASTER_KEY, master.key); the message never echoes the value.</summary>
    public static MasterKey FromBase64(string text, string source)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new ArgumentException($"The master key in {source} is not valid base64; it must be base64 of {Size} random bytes (e.g. `openssl rand -base64 32`).");
        }

        if (bytes.Length != Size)
        {
            CryptographicOperations.ZeroMemory(bytes);
            throw new ArgumentException($"The master key in {source} decodes to {bytes.Length} bytes; it must be base64 of exactly {Size} bytes (e.g. `openssl rand -base64 32`).");
        }

        return new MasterKey(bytes);
    }

    public string ToBase64() => Convert.ToBase64String(_key);

    /// <summary>Wraps a KMS key's material, bound to its key id so wrapped material cannot be moved to another key.</summary>
    public byte[] WrapKeyMaterial(string keyId, ReadOnlySpan<byte> material) => Wrap(material, KeyMaterialContext(keyId));

    /// <summary>Unwraps a KMS key's material; throws <see cref="MasterKeyMismatchException"/> when this master key did not wrap it.</summary>
    public byte[] UnwrapKeyMaterial(string keyId, ReadOnlySpan<byte> wrapped) =>
        Unwrap(wrapped, KeyMaterialContext(keyId))
        ?? throw new MasterKeyMismatchException($"The key material of KMS key {keyId} cannot be unwrapped with this master key.");

    /// <summary>
    /// Encrypts a secret Cairn must be able to read back (an IAM secret access key, an STS session's secret and token),
    /// bound to what it belongs to, e.g. ("iam-access-key", "AKIA..."); returns base64 for a text column.
    /// </summary>
    public string ProtectSecret(string purpose, string owner, string secret) =>
        Convert.ToBase64String(Wrap(Encoding.UTF8.GetBytes(secret), SecretContext(purpose, owner)));

    /// <summary>Reverses <see cref="ProtectSecret"/>; throws <see cref="MasterKeyMismatchException"/> when this master key did not protect it.</summary>
    public string RevealSecret(string purpose, string owner, string protectedSecret) =>
        Encoding.UTF8.GetString(Unwrap(Convert.FromBase64String(protectedSecret), SecretContext(purpose, owner))
            ?? throw new MasterKeyMismatchException($"The stored {purpose} secret of {owner} cannot be decrypted with this master key."));

    private static byte[] SecretContext(string purpose, string owner) => Encoding.UTF8.GetBytes($"cairn:secret:{purpose}:{owner}");

    public byte[] CreateCheckValue() => Wrap(CheckPlaintext, CheckContext);

    /// <summary>True when <paramref name="checkValue"/> was made by <see cref="CreateCheckValue"/> of this same master key.</summary>
    public bool Matches(ReadOnlySpan<byte> checkValue)
    {
        var plaintext = Unwrap(checkValue, CheckContext);
        return plaintext is not null && plaintext.AsSpan().SequenceEqual(CheckPlaintext);
    }

    private byte[] Wrap(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var wrapped = new byte[1 + NonceSize + plaintext.Length + TagSize];
        wrapped[0] = WrapVersion;
        var nonce = wrapped.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, wrapped.AsSpan(1 + NonceSize, plaintext.Length), wrapped.AsSpan(1 + NonceSize + plaintext.Length), associatedData);
        return wrapped;
    }

    private byte[]? Unwrap(ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> associatedData)
    {
        if (wrapped.Length < 1 + NonceSize + TagSize || wrapped[0] != WrapVersion)
        {
            return null;
        }

        var length = wrapped.Length - 1 - NonceSize - TagSize;
        var plaintext = new byte[length];
        using var aes = new AesGcm(_key, TagSize);
        try
        {
            aes.Decrypt(wrapped.Slice(1, NonceSize), wrapped.Slice(1 + NonceSize, length), wrapped[^TagSize..], plaintext, associatedData);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static byte[] KeyMaterialContext(string keyId) => Encoding.UTF8.GetBytes("cairn:kms:key-material:v1:" + keyId);

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    /// <summary>Never the key: this type may end up in a log line by accident.</summary>
    public override string ToString() => "MasterKey(****)";
}
