using System.Security.Cryptography;
using System.Text;
using Cairn.Core.Keys;

namespace Cairn.Core.Tests.Keys;

/// <summary>SHA-224 and HMAC-SHA224 against FIPS 180-4's and RFC 4231's vectors (the same values openssl prints).</summary>
public sealed class Sha224Tests
{
    [Theory]
    [InlineData("abc", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7")]
    [InlineData("", "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525")]
    public void Hash_matches_the_standard_vectors(string message, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(Sha224.HashData(Encoding.ASCII.GetBytes(message))));

    [Fact]
    public void Hash_of_a_million_a_matches_the_standard_vector() =>
        Assert.Equal("20794655980c91d8bbb4c1ea97618a4bf03f42581948b2ee4ee7ad67", Convert.ToHexStringLower(Sha224.HashData(Enumerable.Repeat((byte)'a', 1_000_000).ToArray())));

    [Theory]
    [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22")]
    [InlineData("4a656665", "what do ya want for nothing?", "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44")]
    public void Hmac_matches_RFC_4231(string keyHex, string message, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(Sha224.Hmac(Convert.FromHexString(keyHex), Encoding.ASCII.GetBytes(message))));

    [Fact]
    public void Hmac_with_a_key_longer_than_a_block_hashes_the_key_first() =>
        Assert.Equal("95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e",
            Convert.ToHexStringLower(Sha224.Hmac(Enumerable.Repeat((byte)0xaa, 131).ToArray(), Encoding.ASCII.GetBytes("Test Using Larger Than Block-Size Key - Hash Key First"))));

    [Theory]
    [InlineData("HMAC_SHA_256")]
    [InlineData("HMAC_SHA_384")]
    [InlineData("HMAC_SHA_512")]
    public void Macs_use_the_named_hash(string algorithm)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var message = Encoding.UTF8.GetBytes("build artifact digest");
        using HMAC expected = algorithm switch { "HMAC_SHA_256" => new HMACSHA256(key), "HMAC_SHA_384" => new HMACSHA384(key), _ => new HMACSHA512(key) };

        var mac = Macs.Compute(algorithm, key, message);

        Assert.Equal(expected.ComputeHash(message), mac);
        Assert.True(Macs.Verify(algorithm, key, message, mac));
        mac[0] ^= 1;
        Assert.False(Macs.Verify(algorithm, key, message, mac));
    }
}
