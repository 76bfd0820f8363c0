using System.Security.Cryptography;
using System.Text;
using Cairn.Core.Keys;

namespace Cairn.Core.Tests.Keys;

public sealed class CiphertextBlobTests
{
    private const string KeyId = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    private static readonly byte[] Material = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("hunter2-registry-password");
    private static readonly Dictionary<string, string> Context = new() { ["PARAMETER_ARN"] = "arn:aws:ssm:us-east-1:000000000000:parameter/app/pw" };

    [Fact]
    public void Encrypt_then_decrypt_with_the_same_context_returns_the_plaintext()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, Secret, Context);

        Assert.Equal(Secret, CiphertextBlob.TryDecrypt(Material, blob, Context));
    }

    [Fact]
    public void Encrypt_then_decrypt_without_context_round_trips()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, Secret, null);

        Assert.Equal(Secret, CiphertextBlob.TryDecrypt(Material, blob, new Dictionary<string, string>()));
    }

    [Fact]
    public void Two_encryptions_of_the_same_plaintext_differ()
    {
        Assert.NotEqual(CiphertextBlob.Encrypt(Material, KeyId, Secret, Context), CiphertextBlob.Encrypt(Material, KeyId, Secret, Context));
    }

    [Fact]
    public void Decrypt_with_another_parameters_context_fails()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, Secret, Context);
        var moved = new Dictionary<string, string> { ["PARAMETER_ARN"] = "arn:aws:ssm:us-east-1:000000000000:parameter/app/other" };

        Assert.Null(CiphertextBlob.TryDecrypt(Material, blob, moved));
    }

    [Fact]
    public void Decrypt_without_the_context_fails()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, Secret, Context);

        Assert.Null(CiphertextBlob.TryDecrypt(Material, blob, null));
    }

    [Fact]
    public void Decrypt_with_an_extra_context_pair_fails()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, Secret, Context);
        var extra = new Dictionary<string, string>(Context) { ["stage"] = "prod" };

        Assert.Null(CiphertextBlob.TryDecrypt(Material, blob, extra));
    }

    [Fact]
    public void Context_order_does_not_matter()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, Secret, new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" });

        Assert.Equal(Secret, CiphertextBlob.TryDecrypt(Material, blob, new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }));
    }

    [Fact]
    public void Context_values_are_case_sensitive()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, Secret, new Dictionary<string, string> { ["a"] = "Value" });

        Assert.Null(CiphertextBlob.TryDecrypt(Material, blob, new Dictionary<string, string> { ["a"] = "value" }));
    }

    [Fact]
    public void Every_tampered_byte_makes_decryption_fail()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, Secret, Context);
        for (var i = 0; i < blob.Length; i++)
        {
            var tampered = (byte[])blob.Clone();
            tampered[i] ^= 0x40;

            Assert.Null(CiphertextBlob.TryDecrypt(Material, tampered, Context));
        }
    }

    [Fact]
    public void Truncated_blob_fails()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, Secret, Context);

        Assert.Null(CiphertextBlob.TryDecrypt(Material, blob.AsSpan(0, blob.Length - 1), Context));
        Assert.Null(CiphertextBlob.TryDecrypt(Material, blob.AsSpan(0, 10), Context));
        Assert.Null(CiphertextBlob.TryDecrypt(Material, [], Context));
    }

    [Fact]
    public void Another_keys_material_cannot_decrypt()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, Secret, Context);

        Assert.Null(CiphertextBlob.TryDecrypt(RandomNumberGenerator.GetBytes(32), blob, Context));
    }

    [Fact]
    public void Blob_is_version_key_id_nonce_ciphertext_tag()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, Secret, Context);

        Assert.Equal(1 + 16 + 12 + Secret.Length + 16, blob.Length);
        Assert.Equal(CiphertextBlob.Version1, blob[0]);
        Assert.Equal(Convert.FromHexString(KeyId.Replace("-", string.Empty, StringComparison.Ordinal)), blob[1..17]);
        Assert.Equal(-1, blob.AsSpan().IndexOf(Secret.AsSpan(0, 6)));
    }

    [Fact]
    public void Key_id_is_read_back_from_the_blob()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, Secret, Context);

        Assert.Equal(KeyId, CiphertextBlob.ReadKeyId(blob));
    }

    [Fact]
    public void A_blob_of_an_unknown_version_names_no_key()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, Secret, Context);
        blob[0] = 3;

        Assert.Null(CiphertextBlob.ReadKeyId(blob));
        Assert.Null(CiphertextBlob.TryDecrypt(Material, blob, Context));
    }

    [Fact]
    public void A_blob_under_rotated_material_is_version_2_and_names_its_material()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, materialVersion: 3, Secret, Context);

        Assert.Equal(CiphertextBlob.Version2, blob[0]);
        Assert.Equal(KeyId, CiphertextBlob.ReadKeyId(blob));
        Assert.Equal(3, CiphertextBlob.ReadMaterialVersion(blob));
        Assert.Equal(Secret, CiphertextBlob.TryDecrypt(Material, blob, Context));
        Assert.Equal(0, CiphertextBlob.ReadMaterialVersion(CiphertextBlob.Encrypt(Material, KeyId, Secret, Context)));
    }

    [Fact]
    public void A_version_2_blob_whose_material_version_was_changed_does_not_decrypt()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, materialVersion: 3, Secret, Context);
        blob[CiphertextBlob.HeaderSize + 3] = 4;

        Assert.Equal(4, CiphertextBlob.ReadMaterialVersion(blob));
        Assert.Null(CiphertextBlob.TryDecrypt(Material, blob, Context));
    }

    [Fact]
    public void An_empty_plaintext_round_trips()
    {
        var blob = CiphertextBlob.Encrypt(Material, KeyId, [], Context);

        Assert.Equal(CiphertextBlob.Overhead, blob.Length);
        Assert.Equal(Array.Empty<byte>(), CiphertextBlob.TryDecrypt(Material, blob, Context));
    }
}
