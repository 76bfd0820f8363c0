using System.Text;
using System.Text.Json;
using Cairn.Runner.Masking;

namespace Cairn.Runner.Tests.Masking;

public sealed class SecretMaskerTests
{
    private const string Secret = "hunter2-Sup3r/S3cret+value";

    private static SecretMasker MaskerWith(params string[] secrets)
    {
        var masker = new SecretMasker();
        masker.AddSecrets(secrets);
        return masker;
    }

    [Fact]
    public void Secret_value_is_replaced_by_stars()
    {
        var masker = MaskerWith(Secret);
        Assert.Equal("password is *** ok", masker.MaskText($"password is {Secret} ok"));
    }

    [Fact]
    public void Text_without_secrets_is_unchanged()
    {
        var masker = MaskerWith(Secret);
        Assert.Equal("nothing to see, hunter3", masker.MaskText("nothing to see, hunter3"));
        Assert.Equal("no secrets at all", new SecretMasker().MaskText("no secrets at all"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Base64_of_the_secret_is_masked_at_every_alignment(int prefixLength)
    {
        var masker = MaskerWith(Secret);
        var payload = new string('p', prefixLength) + Secret + "\n";
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload));

        var masked = masker.MaskText($"echo {encoded}");

        Assert.Contains("***", masked, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretForms.AlignedBase64(Encoding.UTF8.GetBytes(Secret), prefixLength), masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Url_safe_base64_of_the_secret_is_masked(int prefixLength)
    {
        var masker = MaskerWith(Secret + "??>>");
        var payload = Encoding.UTF8.GetBytes(new string('p', prefixLength) + Secret + "??>>");
        var encoded = Convert.ToBase64String(payload).Replace('+', '-').Replace('/', '_').TrimEnd('=');

        var masked = masker.MaskText(encoded);

        Assert.StartsWith(prefixLength == 0 ? "***" : Convert.ToBase64String(payload)[..1], masked, StringComparison.Ordinal);
        Assert.True(masked.Length < 8, $"expected nearly all of '{encoded}' masked, got '{masked}'");
    }

    [Fact]
    public void Url_escaped_forms_are_masked()
    {
        const string secret = "p@ss word/&?=é";
        var masker = MaskerWith(secret);

        Assert.Equal("q=***", masker.MaskText("q=" + Uri.EscapeDataString(secret)));
        Assert.Equal("q=***", masker.MaskText("q=" + System.Net.WebUtility.UrlEncode(secret)));
        Assert.Equal("q=***", masker.MaskText("q=" + Uri.EscapeDataString(secret).ToLowerInvariant()));
    }

    [Fact]
    public void Json_escaped_forms_are_masked()
    {
        const string secret = "a\"quoted\\secret\tvalue<&>é";
        var masker = MaskerWith(secret);

        Assert.Equal("{\"v\":\"***\"}", masker.MaskText(JsonSerializer.Serialize(new { v = secret })));
        Assert.Equal("\"***\"", masker.MaskText("\"a\\\"quoted\\\\secret\\tvalue<&>é\""));
        Assert.Equal("\"***\"", masker.MaskText("\"a\\\"quoted\\\\secret\\tvalue<&>\\u00e9\""));
    }

    [Fact]
    public void Each_line_of_a_multi_line_secret_is_masked()
    {
        const string secret = "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0\r\nAQEFAASCBKcwggSjAgEAAo\n}";
        var masker = MaskerWith(secret);

        Assert.Equal("***", masker.MaskText(secret));
        Assert.Equal("line: ***\n", masker.MaskText("line: MIIEvQIBADANBgkqhkiG9w0\n"));
        Assert.Equal("x ***", masker.MaskText("x AQEFAASCBKcwggSjAgEAAo"));
        Assert.Equal("{ } braces stay", masker.MaskText("{ } braces stay"));
    }

    [Fact]
    public void Short_secret_value_is_masked_but_its_short_derived_forms_are_not()
    {
        var masker = MaskerWith("ab");

        Assert.Equal("x***x ***", masker.MaskText("xabx ab"));
        Assert.Contains("YW", masker.MaskText("YWI="), StringComparison.Ordinal);
    }

    [Fact]
    public void Blank_secrets_are_ignored()
    {
        var masker = MaskerWith("", "   ", "\n");
        Assert.Equal(0, masker.PatternCount);
        Assert.Equal("a b\n", masker.MaskText("a b\n"));
    }

    [Fact]
    public void Overlapping_matches_merge_into_one_mask()
    {
        var masker = MaskerWith("abcdef", "defghi");
        Assert.Equal("xx***yy", masker.MaskText("xxabcdefghiyy"));
    }

    [Fact]
    public void Touching_matches_merge_into_one_mask()
    {
        var masker = MaskerWith("abcd", "efgh");
        Assert.Equal("<***>", masker.MaskText("<abcdefgh>"));
        Assert.Equal("<***>", masker.MaskText("<abcdabcd>"));
        Assert.Equal("<*** ***>", masker.MaskText("<abcd abcd>"));
    }

    [Fact]
    public void Secret_containing_another_secret_masks_the_longest()
    {
        var masker = MaskerWith("token", "token-with-suffix");
        Assert.Equal("[***]", masker.MaskText("[token-with-suffix]"));
        Assert.Equal("[***-with-suffi]", masker.MaskText("[token-with-suffi]"));
    }

    [Fact]
    public void Utf8_secret_is_masked()
    {
        const string secret = "pässwörd-秘密-🔑";
        var masker = MaskerWith(secret);

        Assert.Equal("key=*** end", masker.MaskText($"key={secret} end"));
        Assert.Equal("\"***\"", masker.MaskText(JsonSerializer.Serialize(secret)));
    }

    [Fact]
    public void Secret_added_later_is_masked_from_then_on()
    {
        var masker = MaskerWith("first-secret");
        Assert.Equal("second-secret", masker.MaskText("second-secret"));

        masker.AddSecret("second-secret");

        Assert.Equal("*** ***", masker.MaskText("first-secret second-secret"));
        Assert.Equal(2, masker.SecretCount);
    }

    [Fact]
    public void Masking_matches_the_naive_reference_on_random_text()
    {
        var random = new Random(1234);
        var secrets = Enumerable.Range(0, 12).Select(i => RandomText(random, 1 + (i * 3), "abcXYZ01/+=\n\"é")).ToArray();
        var masker = MaskerWith(secrets);
        var forms = secrets.SelectMany(SecretForms.Expand).ToArray();

        for (var round = 0; round < 200; round++)
        {
            var builder = new StringBuilder();
            for (var piece = 0; piece < 20; piece++)
            {
                builder.Append(random.Next(3) == 0 ? forms[random.Next(forms.Length)] : RandomText(random, random.Next(8), "abcXYZ01/+= \n"));
            }

            var input = Encoding.UTF8.GetBytes(builder.ToString());
            var expected = NaiveMasker.Mask(input, secrets);

            Assert.Equal(Encoding.UTF8.GetString(expected), masker.MaskText(builder.ToString()));
        }
    }

    [Fact]
    public void Masking_long_secrets_only_matches_the_naive_reference_on_random_text()
    {
        // With every form at least eight bytes long the index skips through text instead of visiting every byte.
        var random = new Random(99);
        var secrets = Enumerable.Range(0, 30).Select(i => RandomText(random, 8 + (i % 20), "abcdXYZ01/+=é")).ToArray();
        var masker = MaskerWith(secrets);
        var forms = secrets.SelectMany(SecretForms.Expand).ToArray();
        Assert.True(forms.All(f => Encoding.UTF8.GetByteCount(f) >= 8));

        for (var round = 0; round < 300; round++)
        {
            var builder = new StringBuilder();
            for (var piece = 0; piece < 20; piece++)
            {
                var form = forms[random.Next(forms.Length)];
                builder.Append(random.Next(3) switch
                {
                    0 => form,
                    1 => form[..random.Next(form.Length)],
                    _ => RandomText(random, random.Next(30), "abcdXYZ01/+= \n"),
                });
            }

            var input = Encoding.UTF8.GetBytes(builder.ToString());
            Assert.Equal(Encoding.UTF8.GetString(NaiveMasker.Mask(input, secrets)), masker.MaskText(builder.ToString()));
        }
    }

    private static string RandomText(Random random, int length, string alphabet) =>
        new([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
}
