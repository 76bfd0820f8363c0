using System.Security.Cryptography;

namespace Cairn.Core.Keys;

/// <summary>HMAC KMS keys' operations (RFC 2104): GenerateMac's MAC, and VerifyMac's comparison in constant time.</summary>
public static class Macs
{
    /// <summary>The HMAC of <paramref name="message"/> under <paramref name="key"/> with a KMS MacAlgorithm (HMAC_SHA_224/256/384/512).</summary>
    public static byte[] Compute(string macAlgorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> message) => macAlgorithm switch
    {
        "HMAC_SHA_224" => Sha224.Hmac(key, message),
        "HMAC_SHA_256" => HMACSHA256.HashData(key, message),
        "HMAC_SHA_384" => HMACSHA384.HashData(key, message),
        "HMAC_SHA_512" => HMACSHA512.HashData(key, message),
        _ => throw new ArgumentException($"{macAlgorithm} is not a MAC algorithm.", nameof(macAlgorithm)),
    };

    public static bool Verify(string macAlgorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> mac) =>
        CryptographicOperations.FixedTimeEquals(Compute(macAlgorithm, key, message), mac);
}
