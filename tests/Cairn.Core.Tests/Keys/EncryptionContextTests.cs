using Cairn.Core.Keys;

namespace Cairn.Core.Tests.Keys;

public sealed class EncryptionContextTests
{
    [Fact]
    public void Absent_and_empty_contexts_are_the_same()
    {
        Assert.Equal(EncryptionContext.Canonicalize(null), EncryptionContext.Canonicalize(new Dictionary<string, string>()));
    }

    [Fact]
    public void Pairs_are_sorted_by_key()
    {
        var one = EncryptionContext.Canonicalize(new Dictionary<string, string> { ["z"] = "1", ["a"] = "2" });
        var two = EncryptionContext.Canonicalize(new Dictionary<string, string> { ["a"] = "2", ["z"] = "1" });

        Assert.Equal(one, two);
    }

    [Fact]
    public void Shifting_characters_between_key_and_value_changes_the_encoding()
    {
        var one = EncryptionContext.Canonicalize(new Dictionary<string, string> { ["ab"] = "c" });
        var two = EncryptionContext.Canonicalize(new Dictionary<string, string> { ["a"] = "bc" });

        Assert.NotEqual(one, two);
    }

    [Fact]
    public void Encoding_is_count_then_length_prefixed_utf8()
    {
        var bytes = EncryptionContext.Canonicalize(new Dictionary<string, string> { ["k"] = "é" });

        Assert.Equal(new byte[] { 0, 0, 0, 1, 0, 0, 0, 1, (byte)'k', 0, 0, 0, 2, 0xC3, 0xA9 }, bytes);
    }
}
