using System.Security.Cryptography;
using System.Text;
using Cairn.Core.Errors;
using Cairn.Core.Keys;

namespace Cairn.Server.Tests.Ssm;

/// <summary>
/// A real AES-256-GCM key service for tests: the encryption context is authenticated data, so a ciphertext only
/// decrypts under the context it was made with. Knows alias/aws/ssm (AWS managed), alias/custom (customer) and
/// alias/disabled; records every encryption context it is handed.
/// </summary>
internal sealed class TestKeyService : IKeyService
{
    public const string CustomKeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";

    private readonly Dictionary<string, (KeyReference Key, byte[] Material)> _keys = new(StringComparer.Ordinal);

    public TestKeyService()
    {
        Add("alias/aws/ssm", "arn:aws:kms:{0}:{1}:key/aaaaaaaa-0000-0000-0000-000000000001", awsManaged: true);
        var custom = Add("alias/custom", $"arn:aws:kms:{{0}}:{{1}}:key/{CustomKeyId}", awsManaged: false);
        _keys[CustomKeyId] = custom;
    }

    public List<IReadOnlyDictionary<string, string>> Contexts { get; } = [];

    public Task<KeyReference?> FindKeyAsync(KeyScope scope, string keyId, CancellationToken cancellationToken)
    {
        if (keyId == "alias/disabled")
        {
            throw AwsErrors.KmsDisabled($"arn:aws:kms:{scope.Region}:{scope.AccountId}:key/dddd");
        }

        return Task.FromResult(_keys.TryGetValue(keyId, out var found) ? Scoped(found.Key, scope) : null);
    }

    public Task<byte[]> EncryptAsync(KeyScope scope, string keyId, ReadOnlyMemory<byte> plaintext,
        IReadOnlyDictionary<string, string> encryptionContext, CancellationToken cancellationToken)
    {
        Contexts.Add(encryptionContext);
        var (key, material) = _keys[keyId];
        var id = Encoding.UTF8.GetBytes(key.KeyId);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var cipher = new byte[plaintext.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(material, 16);
        aes.Encrypt(nonce, plaintext.Span, cipher, tag, Aad(encryptionContext));
        return Task.FromResult<byte[]>([(byte)id.Length, .. id, .. nonce, .. tag, .. cipher]);
    }

    public Task<DecryptResult> DecryptAsync(KeyScope scope, ReadOnlyMemory<byte> ciphertextBlob,
        IReadOnlyDictionary<string, string> encryptionContext, CancellationToken cancellationToken)
    {
        var blob = ciphertextBlob.Span;
        var keyId = Encoding.UTF8.GetString(blob.Slice(1, blob[0]));
        var rest = blob[(1 + blob[0])..];
        var (key, material) = _keys[keyId];
        var plaintext = new byte[rest.Length - 28];
        using var aes = new AesGcm(material, 16);
        try
        {
            aes.Decrypt(rest[..12], rest[28..], rest.Slice(12, 16), plaintext, Aad(encryptionContext));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw AwsErrors.KmsInvalidCiphertext();
        }

        return Task.FromResult(new DecryptResult(plaintext, Scoped(key, scope)));
    }

    private (KeyReference Key, byte[] Material) Add(string alias, string arnFormat, bool awsManaged)
    {
        var entry = (new KeyReference(alias, arnFormat, awsManaged), RandomNumberGenerator.GetBytes(32));
        _keys[alias] = entry;
        return entry;
    }

    private static KeyReference Scoped(KeyReference key, KeyScope scope) =>
        key with { Arn = string.Format(System.Globalization.CultureInfo.InvariantCulture, key.Arn, scope.Region, scope.AccountId) };

    private static byte[] Aad(IReadOnlyDictionary<string, string> context) =>
        Encoding.UTF8.GetBytes(string.Join("\n", context.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
}
