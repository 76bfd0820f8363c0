using System.Security.Cryptography;
using Cairn.Core.Keys;

namespace Cairn.Core.Tests.Keys;

public sealed class MasterKeyTests
{
    private const string KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";

    [Fact]
    public void Wrapped_key_material_unwraps_to_the_same_bytes()
    {
        using var master = MasterKey.Generate();
        var material = RandomNumberGenerator.GetBytes(32);

        var wrapped = master.WrapKeyMaterial(KeyId, material);

        Assert.Equal(material, master.UnwrapKeyMaterial(KeyId, wrapped));
    }

    [Fact]
    public void Wrapped_key_material_does_not_contain_the_material()
    {
        using var master = MasterKey.Generate();
        var material = RandomNumberGenerator.GetBytes(32);

        var wrapped = master.WrapKeyMaterial(KeyId, material);

        Assert.Equal(-1, wrapped.AsSpan().IndexOf(material.AsSpan(0, 8)));
        Assert.Equal(1 + 12 + 32 + 16, wrapped.Length);
    }

    [Fact]
    public void A_different_master_key_cannot_unwrap()
    {
        using var master = MasterKey.Generate();
        using var other = MasterKey.Generate();
        var wrapped = master.WrapKeyMaterial(KeyId, RandomNumberGenerator.GetBytes(32));

        Assert.Throws<MasterKeyMismatchException>(() => other.UnwrapKeyMaterial(KeyId, wrapped));
    }

    [Fact]
    public void Wrapped_material_is_bound_to_its_key_id()
    {
        using var master = MasterKey.Generate();
        var wrapped = master.WrapKeyMaterial(KeyId, RandomNumberGenerator.GetBytes(32));

        Assert.Throws<MasterKeyMismatchException>(() => master.UnwrapKeyMaterial("99999999-12ab-34cd-56ef-1234567890ab", wrapped));
    }

    [Fact]
    public void Tampered_wrapped_material_fails_to_unwrap()
    {
        using var master = MasterKey.Generate();
        var wrapped = master.WrapKeyMaterial(KeyId, RandomNumberGenerator.GetBytes(32));
        wrapped[20] ^= 1;

        Assert.Throws<MasterKeyMismatchException>(() => master.UnwrapKeyMaterial(KeyId, wrapped));
    }

    [Fact]
    public void Check_value_matches_only_the_master_key_that_made_it()
    {
        using var master = MasterKey.Generate();
        using var other = MasterKey.Generate();
        var check = master.CreateCheckValue();

        Assert.True(master.Matches(check));
        Assert.False(other.Matches(check));
        Assert.False(master.Matches(new byte[5]));
    }

    [Fact]
    public void Base64_round_trip_gives_a_key_that_unwraps_the_same_material()
    {
        using var master = MasterKey.Generate();
        var wrapped = master.WrapKeyMaterial(KeyId, [1, 2, 3]);

        using var reloaded = MasterKey.FromBase64(master.ToBase64() + "\n", "test");

        Assert.Equal(new byte[] { 1, 2, 3 }, reloaded.UnwrapKeyMaterial(KeyId, wrapped));
    }

    [Fact]
    public void A_master_key_of_the_wrong_length_is_refused_without_echoing_it()
    {
        var text = Convert.ToBase64String(new byte[16]);

        var error = Assert.Throws<ArgumentException>(() => MasterKey.FromBase64(text, "CAIRN_MASTER_KEY"));

        Assert.Contains("16 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("CAIRN_MASTER_KEY", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_master_key_that_is_not_base64_is_refused_without_echoing_it()
    {
        var error = Assert.Throws<ArgumentException>(() => MasterKey.FromBase64("not*base64*secret", "master.key"));

        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_never_shows_the_key()
    {
        using var master = MasterKey.Generate();

        Assert.DoesNotContain(master.ToBase64(), master.ToString(), StringComparison.Ordinal);
    }
}
