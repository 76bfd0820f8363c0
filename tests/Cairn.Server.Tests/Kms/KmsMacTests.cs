using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Core.Keys;

namespace Cairn.Server.Tests.Kms;

/// <summary>HMAC keys: CreateKey, DescribeKey, GenerateMac, VerifyMac, and what they refuse.</summary>
public sealed class KmsMacTests : IDisposable
{
    private static readonly string Message = Convert.ToBase64String(Encoding.UTF8.GetBytes("session token payload"));

    private readonly KmsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private async Task<string> HmacKeyAsync(string keySpec) =>
        (await _host.InvokeAsync("CreateKey", new JsonObject { ["KeySpec"] = keySpec, ["KeyUsage"] = "GENERATE_VERIFY_MAC" }))["KeyMetadata"]!["KeyId"]!.GetValue<string>();

    private Task<JsonObject> GenerateAsync(string keyId, string algorithm) =>
        _host.InvokeAsync("GenerateMac", new JsonObject { ["KeyId"] = keyId, ["Message"] = Message, ["MacAlgorithm"] = algorithm });

    [Theory]
    [InlineData("HMAC_224", "HMAC_SHA_224", 28)]
    [InlineData("HMAC_256", "HMAC_SHA_256", 32)]
    [InlineData("HMAC_384", "HMAC_SHA_384", 48)]
    [InlineData("HMAC_512", "HMAC_SHA_512", 64)]
    public async Task Generate_mac_is_the_rfc_2104_hmac_and_verify_mac_accepts_it(string keySpec, string algorithm, int length)
    {
        var keyId = await HmacKeyAsync(keySpec);

        var generated = await GenerateAsync(keyId, algorithm);
        var mac = generated["Mac"]!.GetValue<string>();
        var verified = await _host.InvokeAsync("VerifyMac", new JsonObject { ["KeyId"] = keyId, ["Message"] = Message, ["MacAlgorithm"] = algorithm, ["Mac"] = mac });
        var described = (await _host.InvokeAsync("DescribeKey", new JsonObject { ["KeyId"] = keyId }))["KeyMetadata"]!;

        Assert.Equal(length, Convert.FromBase64String(mac).Length);
        Assert.True(verified["MacValid"]!.GetValue<bool>());
        Assert.Equal(algorithm, verified["MacAlgorithm"]!.GetValue<string>());
        Assert.Equal(algorithm, described["MacAlgorithms"]![0]!.GetValue<string>());
        Assert.Null(described["EncryptionAlgorithms"]);
        var key = await _host.Keys.ResolveAsync(new KeyScope(KmsTestHost.Account, KmsTestHost.Region), keyId, allowAlias: false, CancellationToken.None);
        var secret = _host.Keys.Material(key);
        Assert.Equal(length, secret.Length);
        if (keySpec != "HMAC_224")
        {
            using HMAC independent = keySpec switch { "HMAC_256" => new HMACSHA256(secret), "HMAC_384" => new HMACSHA384(secret), _ => new HMACSHA512(secret) };
            Assert.Equal(independent.ComputeHash(Convert.FromBase64String(Message)), Convert.FromBase64String(mac));
        }
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Verify_mac_of_a_changed_mac_or_message_is_KMSInvalidMac(bool changeMac, bool changeMessage)
    {
        var keyId = await HmacKeyAsync("HMAC_256");
        var mac = Convert.FromBase64String((await GenerateAsync(keyId, "HMAC_SHA_256"))["Mac"]!.GetValue<string>());
        if (changeMac)
        {
            mac[^1] ^= 1;
        }

        var error = await _host.FailAsync("VerifyMac", new JsonObject
        {
            ["KeyId"] = keyId, ["Message"] = changeMessage ? Convert.ToBase64String([1, 2, 3]) : Message, ["MacAlgorithm"] = "HMAC_SHA_256", ["Mac"] = Convert.ToBase64String(mac),
        });

        Assert.Equal("KMSInvalidMacException", error.Code);
    }

    [Fact]
    public async Task A_mac_algorithm_the_key_spec_does_not_take_is_InvalidKeyUsage()
    {
        var keyId = await HmacKeyAsync("HMAC_256");

        var error = await _host.FailAsync("GenerateMac", new JsonObject { ["KeyId"] = keyId, ["Message"] = Message, ["MacAlgorithm"] = "HMAC_SHA_384" });

        Assert.Equal("InvalidKeyUsageException", error.Code);
        Assert.StartsWith("Algorithm HMAC_SHA_384 is incompatible with key spec HMAC_256.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mac_operations_refuse_other_keys_and_other_operations_refuse_hmac_keys()
    {
        var symmetric = (await _host.CreateKeyAsync())["KeyId"]!.GetValue<string>();
        var hmac = await HmacKeyAsync("HMAC_512");

        var mac = await _host.FailAsync("GenerateMac", new JsonObject { ["KeyId"] = symmetric, ["Message"] = Message, ["MacAlgorithm"] = "HMAC_SHA_256" });
        var encrypt = await _host.FailAsync("Encrypt", new JsonObject { ["KeyId"] = hmac, ["Plaintext"] = Message });
        var publicKey = await _host.FailAsync("GetPublicKey", new JsonObject { ["KeyId"] = hmac });
        var rotation = await _host.FailAsync("EnableKeyRotation", new JsonObject { ["KeyId"] = hmac });

        Assert.Equal("InvalidKeyUsageException", mac.Code);
        Assert.Contains("key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.", mac.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidKeyUsageException", encrypt.Code);
        Assert.Equal("UnsupportedOperationException", publicKey.Code);
        Assert.Equal("UnsupportedOperationException", rotation.Code);
    }

    [Fact]
    public async Task Hmac_key_without_its_key_usage_is_ValidationException()
    {
        var error = await _host.FailAsync("CreateKey", new JsonObject { ["KeySpec"] = "HMAC_256" });

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains("GENERATE_VERIFY_MAC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_mac_is_authorized_as_kms_GenerateMac_and_dry_run_stops_after_the_checks()
    {
        var keyId = await HmacKeyAsync("HMAC_256");

        var error = await _host.FailAsync("GenerateMac", new JsonObject { ["KeyId"] = keyId, ["Message"] = Message, ["MacAlgorithm"] = "HMAC_SHA_256", ["DryRun"] = true });

        Assert.Equal("DryRunOperationException", error.Code);
        Assert.Contains(_host.Authorizer.Calls, c => c.Item1 == "kms:GenerateMac");
    }
}
