using System.Security.Cryptography;

namespace Cairn.Core.Keys;

/// <summary>
/// KMS's key specs as Cairn serves them: which key usages each takes, its algorithms (as DescribeKey lists them), and the
/// sizes behind them. Symmetric encryption (SYMMETRIC_DEFAULT), RSA (encryption or signing), NIST and secp256k1 ECC
/// (signing) and HMAC keys; SM2, ML-DSA and Ed25519 keys are not served.
/// </summary>
public static class KeySpecs
{
    public const string SymmetricDefault = "SYMMETRIC_DEFAULT";
    public const string EncryptDecrypt = "ENCRYPT_DECRYPT";
    public const string SignVerify = "SIGN_VERIFY";
    public const string GenerateVerifyMac = "GENERATE_VERIFY_MAC";
    public const string KeyAgreement = "KEY_AGREEMENT";

    public static readonly IReadOnlyList<string> RsaEncryptionAlgorithms = ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"];

    public static readonly IReadOnlyList<string> RsaSigningAlgorithms =
    [
        "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
        "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
    ];

    /// <summary>The key specs Cairn can create, in the model's order.</summary>
    public static readonly IReadOnlyList<string> Served =
    [
        "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", SymmetricDefault,
        "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512",
    ];

    public static bool IsRsa(string keySpec) => RsaBits(keySpec) is not null;

    public static bool IsEcc(string keySpec) => Curve(keySpec) is not null;

    public static bool IsHmac(string keySpec) => HmacKeyBytes(keySpec) is not null;

    /// <summary>True for key pairs (RSA, ECC): they have a public key and no rotation.</summary>
    public static bool IsAsymmetric(string keySpec) => IsRsa(keySpec) || IsEcc(keySpec);

    public static int? RsaBits(string keySpec) => keySpec switch
    {
        "RSA_2048" => 2048,
        "RSA_3072" => 3072,
        "RSA_4096" => 4096,
        _ => null,
    };

    /// <summary>The curve of an ECC key spec; secp256k1 by its OpenSSL name, which OpenSSL 3 knows.</summary>
    public static ECCurve? Curve(string keySpec) => keySpec switch
    {
        "ECC_NIST_P256" => ECCurve.NamedCurves.nistP256,
        "ECC_NIST_P384" => ECCurve.NamedCurves.nistP384,
        "ECC_NIST_P521" => ECCurve.NamedCurves.nistP521,
        "ECC_SECG_P256K1" => ECCurve.CreateFromFriendlyName("secP256k1"),
        _ => null,
    };

    /// <summary>An HMAC key's length: as many bits as its name says.</summary>
    public static int? HmacKeyBytes(string keySpec) => keySpec switch
    {
        "HMAC_224" => 28,
        "HMAC_256" => 32,
        "HMAC_384" => 48,
        "HMAC_512" => 64,
        _ => null,
    };

    /// <summary>The key usages a spec takes (CreateKey); empty for specs Cairn does not serve.</summary>
    public static IReadOnlyList<string> UsagesOf(string keySpec) =>
        keySpec == SymmetricDefault ? [EncryptDecrypt]
        : IsRsa(keySpec) ? [EncryptDecrypt, SignVerify]
        : IsEcc(keySpec) ? [SignVerify]
        : IsHmac(keySpec) ? [GenerateVerifyMac]
        : [];

    /// <summary>Encryption algorithms of an ENCRYPT_DECRYPT key (empty for other usages).</summary>
    public static IReadOnlyList<string> EncryptionAlgorithms(string keySpec, string keyUsage) =>
        keyUsage != EncryptDecrypt ? [] : keySpec == SymmetricDefault ? [SymmetricDefault] : IsRsa(keySpec) ? RsaEncryptionAlgorithms : [];

    /// <summary>Signing algorithms of a SIGN_VERIFY key (empty for other usages).</summary>
    public static IReadOnlyList<string> SigningAlgorithms(string keySpec, string keyUsage) =>
        keyUsage != SignVerify ? [] : keySpec switch
        {
            "ECC_NIST_P256" or "ECC_SECG_P256K1" => ["ECDSA_SHA_256"],
            "ECC_NIST_P384" => ["ECDSA_SHA_384"],
            "ECC_NIST_P521" => ["ECDSA_SHA_512"],
            _ when IsRsa(keySpec) => RsaSigningAlgorithms,
            _ => [],
        };

    /// <summary>MAC algorithms of an HMAC key: the one its size names.</summary>
    public static IReadOnlyList<string> MacAlgorithms(string keySpec) =>
        IsHmac(keySpec) ? ["HMAC_SHA_" + keySpec["HMAC_".Length..]] : [];

    /// <summary>The hash a signing algorithm uses; a DIGEST message must be exactly its length.</summary>
    public static HashAlgorithmName SigningHash(string signingAlgorithm) =>
        signingAlgorithm.EndsWith("_256", StringComparison.Ordinal) ? HashAlgorithmName.SHA256
        : signingAlgorithm.EndsWith("_384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384
        : signingAlgorithm.EndsWith("_512", StringComparison.Ordinal) ? HashAlgorithmName.SHA512
        : throw new ArgumentException($"{signingAlgorithm} is not a signing algorithm Cairn serves.", nameof(signingAlgorithm));

    public static int DigestLength(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : hash == HashAlgorithmName.SHA512 ? 64 : hash == HashAlgorithmName.SHA1 ? 20
        : throw new ArgumentException($"No digest length for {hash}.", nameof(hash));

    /// <summary>The OAEP hash of an RSA encryption algorithm (the MGF1 hash is the same).</summary>
    public static HashAlgorithmName OaepHash(string encryptionAlgorithm) => encryptionAlgorithm switch
    {
        "RSAES_OAEP_SHA_1" => HashAlgorithmName.SHA1,
        "RSAES_OAEP_SHA_256" => HashAlgorithmName.SHA256,
        _ => throw new ArgumentException($"{encryptionAlgorithm} is not an RSA encryption algorithm.", nameof(encryptionAlgorithm)),
    };

    /// <summary>The most plaintext RSAES-OAEP takes: modulus bytes - 2 * hash bytes - 2 (RSA_2048: 214 with SHA-1, 190 with SHA-256).</summary>
    public static int MaxRsaPlaintext(string keySpec, string encryptionAlgorithm) =>
        ((RsaBits(keySpec) ?? throw new ArgumentException($"{keySpec} is not an RSA key spec.", nameof(keySpec))) / 8)
        - (2 * DigestLength(OaepHash(encryptionAlgorithm))) - 2;
}
