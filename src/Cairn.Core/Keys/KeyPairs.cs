using System.Security.Cryptography;

namespace Cairn.Core.Keys;

/// <summary>
/// Asymmetric KMS keys' cryptography (System.Security.Cryptography, OpenSSL on Linux). A key pair is kept as its PKCS#8
/// private key, which the caller wraps under the master key before it is stored; every operation imports it afresh, so
/// no key object is shared between threads. Signatures are AWS's: PKCS #1 (PSS salt = hash length, MGF1 with the same
/// hash) for RSA, DER (RFC 3279) for ECDSA; encryption is RSAES-OAEP with MGF1 on the OAEP hash.
/// </summary>
public static class KeyPairs
{
    /// <summary>A new key pair of an RSA or ECC key spec, as PKCS#8; the caller zeroes it once wrapped.</summary>
    public static byte[] Generate(string keySpec)
    {
        if (KeySpecs.RsaBits(keySpec) is { } bits)
        {
            using var rsa = RSA.Create(bits);
            return rsa.ExportPkcs8PrivateKey();
        }

        using var ecdsa = ECDsa.Create(KeySpecs.Curve(keySpec) ?? throw new ArgumentException($"{keySpec} is not an asymmetric key spec.", nameof(keySpec)));
        return ecdsa.ExportPkcs8PrivateKey();
    }

    /// <summary>The public key as DER SubjectPublicKeyInfo (RFC 5280), what GetPublicKey returns.</summary>
    public static byte[] PublicKey(string keySpec, ReadOnlySpan<byte> privateKey)
    {
        using var key = Import(keySpec, privateKey);
        return key.ExportSubjectPublicKeyInfo();
    }

    /// <summary>Signs a message (<paramref name="isDigest"/> false) or its digest with a SIGN_VERIFY key's private key.</summary>
    public static byte[] Sign(string keySpec, ReadOnlySpan<byte> privateKey, string signingAlgorithm, byte[] message, bool isDigest)
    {
        var hash = KeySpecs.SigningHash(signingAlgorithm);
        using var key = Import(keySpec, privateKey);
        return key switch
        {
            RSA rsa when isDigest => rsa.SignHash(message, hash, RsaPadding(signingAlgorithm)),
            RSA rsa => rsa.SignData(message, hash, RsaPadding(signingAlgorithm)),
            ECDsa ecdsa when isDigest => ecdsa.SignHash(message, DSASignatureFormat.Rfc3279DerSequence),
            ECDsa ecdsa => ecdsa.SignData(message, hash, DSASignatureFormat.Rfc3279DerSequence),
            _ => throw new InvalidOperationException($"{keySpec} cannot sign."),
        };
    }

    /// <summary>True when <paramref name="signature"/> is the key's signature of the message; a malformed signature is false.</summary>
    public static bool Verify(string keySpec, ReadOnlySpan<byte> privateKey, string signingAlgorithm, byte[] message, bool isDigest, byte[] signature)
    {
        var hash = KeySpecs.SigningHash(signingAlgorithm);
        using var key = Import(keySpec, privateKey);
        try
        {
            return key switch
            {
                RSA rsa when isDigest => rsa.VerifyHash(message, signature, hash, RsaPadding(signingAlgorithm)),
                RSA rsa => rsa.VerifyData(message, signature, hash, RsaPadding(signingAlgorithm)),
                ECDsa ecdsa when isDigest => ecdsa.VerifyHash(message, signature, DSASignatureFormat.Rfc3279DerSequence),
                ECDsa ecdsa => ecdsa.VerifyData(message, signature, hash, DSASignatureFormat.Rfc3279DerSequence),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>RSAES-OAEP encryption under an ENCRYPT_DECRYPT RSA key; the caller checks the plaintext's length first.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> privateKey, string encryptionAlgorithm, byte[] plaintext)
    {
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(privateKey, out _);
        return rsa.Encrypt(plaintext, OaepPadding(encryptionAlgorithm));
    }

    /// <summary>RSAES-OAEP decryption; null when the ciphertext was not made by this key with this algorithm.</summary>
    public static byte[]? TryDecrypt(ReadOnlySpan<byte> privateKey, string encryptionAlgorithm, byte[] ciphertext)
    {
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(privateKey, out _);
        if (ciphertext.Length != rsa.KeySize / 8)
        {
            return null;
        }

        try
        {
            return rsa.Decrypt(ciphertext, OaepPadding(encryptionAlgorithm));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static AsymmetricAlgorithm Import(string keySpec, ReadOnlySpan<byte> privateKey)
    {
        AsymmetricAlgorithm key = KeySpecs.IsRsa(keySpec) ? RSA.Create() : ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(privateKey, out _);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static RSASignaturePadding RsaPadding(string signingAlgorithm) =>
        signingAlgorithm.StartsWith("RSASSA_PSS_", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

    private static RSAEncryptionPadding OaepPadding(string encryptionAlgorithm) =>
        RSAEncryptionPadding.CreateOaep(KeySpecs.OaepHash(encryptionAlgorithm));
}
