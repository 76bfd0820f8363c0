using Cairn.Core.Identity.Passwords;

namespace Cairn.Core.Tests.Identity;

public sealed class PasswordHasherTests
{
    // Small parameters keep the round trips fast; the default ones are checked once below.
    private static readonly PasswordHasher Cheap = new(new Argon2Parameters(64, 1, 1));

    [Fact]
    public void Argon2id_gives_RFC_9106s_test_vector()
    {
        // RFC 9106 section 5.3: Argon2id, version 0x13, 32 KiB, 3 passes, 4 lanes, with a secret and associated data.
        var tag = PasswordHasher.Derive(Filled(32, 0x01), Filled(16, 0x02), new Argon2Parameters(32, 3, 4), 32, Filled(8, 0x03), Filled(12, 0x04));

        Assert.Equal("0D640DF58D78766C08C037A34A8B53C9D01EF0452D75B65EB52520E96B01E659", Convert.ToHexString(tag));
    }

    [Fact]
    public void A_hash_verifies_its_password_and_no_other()
    {
        var hash = Cheap.Hash("Correct-Horse-1");

        Assert.True(PasswordHasher.Verify("Correct-Horse-1", hash));
        Assert.False(PasswordHasher.Verify("correct-Horse-1", hash));
        Assert.False(PasswordHasher.Verify(string.Empty, hash));
    }

    [Fact]
    public void A_hash_carries_the_algorithm_its_parameters_and_a_fresh_salt_and_never_the_password()
    {
        var first = new PasswordHasher().Hash("Correct-Horse-1");
        var second = new PasswordHasher().Hash("Correct-Horse-1");

        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.DoesNotContain("Correct-Horse-1", first, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify("Correct-Horse-1", second));
    }

    [Fact]
    public void A_hash_made_with_older_parameters_still_verifies_and_asks_to_be_redone()
    {
        var old = Cheap.Hash("Correct-Horse-1");
        var current = new PasswordHasher(new Argon2Parameters(128, 2, 1));

        Assert.True(PasswordHasher.Verify("Correct-Horse-1", old));
        Assert.True(current.NeedsRehash(old));
        Assert.False(current.NeedsRehash(current.Hash("x")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plaintext")]
    [InlineData("$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=64,t=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$not base64!$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")]
    public void A_malformed_or_foreign_hash_verifies_nothing(string stored)
    {
        Assert.False(PasswordHasher.Verify("anything", stored));
    }

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
