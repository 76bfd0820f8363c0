using System.Text;
using Cairn.Runner.Masking;

namespace Cairn.Runner.Tests.Masking;

public sealed class MaskingStreamTests
{
    private static readonly string[] Secrets = ["s3cr3t-Value/é", "line-one-abc\nline-two-xyz", "abcdef", "defghi", "zz"];

    private static SecretMasker Masker()
    {
        var masker = new SecretMasker();
        masker.AddSecrets(Secrets);
        return masker;
    }

    private static string Sample() =>
        "start s3cr3t-Value/é mid " + Convert.ToBase64String(Encoding.UTF8.GetBytes("xs3cr3t-Value/é")) +
        " json \"s3cr3t-Value/\\u00e9\" url s3cr3t-Value%2F%C3%A9 lines line-two-xyz and line-one-abc\nline-two-xyz" +
        " overlap abcdefghi touch abcdefabcdef zz end z";

    private static string MaskInChunks(SecretMasker masker, byte[] input, IEnumerable<int> cuts)
    {
        var output = new MemoryStream();
        using (var stream = masker.CreateStream(output, leaveOpen: true))
        {
            var previous = 0;
            foreach (var cut in cuts.Append(input.Length))
            {
                stream.Write(input.AsSpan(previous, cut - previous));
                previous = cut;
            }

            stream.Complete();
        }

        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public void Splitting_the_output_at_any_position_gives_the_same_masked_text()
    {
        var masker = Masker();
        var input = Encoding.UTF8.GetBytes(Sample());
        var expected = masker.MaskText(Sample());
        Assert.Equal(Encoding.UTF8.GetString(NaiveMasker.Mask(input, Secrets)), expected);

        for (var cut = 0; cut <= input.Length; cut++)
        {
            Assert.Equal(expected, MaskInChunks(masker, input, [cut]));
        }
    }

    [Fact]
    public void Splitting_the_output_into_three_pieces_at_any_positions_gives_the_same_masked_text()
    {
        var masker = Masker();
        const string sample = "a s3cr3t-Value/é b abcdefghi c line-one-abc\nline-two-xyz";
        var input = Encoding.UTF8.GetBytes(sample);
        var expected = masker.MaskText(sample);

        for (var first = 0; first <= input.Length; first++)
        {
            for (var second = first; second <= input.Length; second++)
            {
                Assert.Equal(expected, MaskInChunks(masker, input, [first, second]));
            }
        }
    }

    [Fact]
    public void Writing_one_byte_at_a_time_masks_everything()
    {
        var masker = Masker();
        var input = Encoding.UTF8.GetBytes(Sample());
        Assert.Equal(masker.MaskText(Sample()), MaskInChunks(masker, input, Enumerable.Range(1, input.Length - 1)));
    }

    [Fact]
    public void Only_a_possible_secret_prefix_is_held_back()
    {
        var masker = Masker();
        var output = new MemoryStream();
        using var stream = masker.CreateStream(output, leaveOpen: true);

        stream.Write("building... s3cr3t"u8);
        Assert.Equal("building... ", Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(6, stream.HeldBackCount);

        stream.Write("-Val\n"u8);
        Assert.Equal("building... s3cr3t-Val\n", Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(0, stream.HeldBackCount);
    }

    [Fact]
    public void Complete_releases_the_held_back_tail()
    {
        var masker = Masker();
        var output = new MemoryStream();
        var stream = masker.CreateStream(output, leaveOpen: true);

        stream.Write("tail abcde"u8);
        stream.Complete();

        Assert.Equal("tail abcde", Encoding.UTF8.GetString(output.ToArray()));
        Assert.Throws<ObjectDisposedException>(() => stream.Write("more"u8));
    }

    [Fact]
    public void Secret_split_across_writes_is_masked()
    {
        var masker = Masker();
        var output = new MemoryStream();
        using (var stream = masker.CreateStream(output, leaveOpen: true))
        {
            stream.Write("x s3cr"u8);
            stream.Write("3t-Val"u8);
            stream.Write("ue/é y"u8);
        }

        Assert.Equal("x *** y", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void Secret_added_while_streaming_masks_output_not_yet_passed_on()
    {
        var masker = new SecretMasker();
        var output = new MemoryStream();
        using (var stream = masker.CreateStream(output, leaveOpen: true))
        {
            stream.Write("before late-secret\n"u8);
            masker.AddSecret("late-secret");
            stream.Write("after late-"u8);
            stream.Write("secret\n"u8);
        }

        Assert.Equal("before late-secret\nafter ***\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void Stream_without_secrets_passes_bytes_through()
    {
        var output = new MemoryStream();
        using (var stream = new SecretMasker().CreateStream(output, leaveOpen: true))
        {
            stream.Write("plain\n"u8);
        }

        Assert.Equal("plain\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Random_chunking_of_random_text_matches_the_naive_reference(bool longSecretsOnly)
    {
        var random = new Random(42);
        var secrets = longSecretsOnly ? Secrets.Where(s => s.Length >= 8).ToArray() : Secrets;
        var masker = new SecretMasker();
        masker.AddSecrets(secrets);
        var forms = secrets.SelectMany(SecretForms.Expand).ToArray();
        for (var round = 0; round < 100; round++)
        {
            var builder = new StringBuilder();
            for (var piece = 0; piece < 30; piece++)
            {
                builder.Append(random.Next(3) == 0 ? forms[random.Next(forms.Length)] : "abcdefz \n"[random.Next(9)].ToString());
            }

            var input = Encoding.UTF8.GetBytes(builder.ToString());
            var cuts = Enumerable.Range(0, random.Next(1, 10)).Select(_ => random.Next(input.Length + 1)).Order().ToArray();

            Assert.Equal(Encoding.UTF8.GetString(NaiveMasker.Mask(input, secrets)), MaskInChunks(masker, input, cuts));
        }
    }
}
