using System.Text;
using Cairn.Runner.Masking;

namespace Cairn.Runner.Tests.Masking;

/// <summary>The obvious, slow masker the real one is compared against: find every occurrence, merge, replace.</summary>
internal static class NaiveMasker
{
    public static byte[] Mask(byte[] input, IEnumerable<string> secrets)
    {
        var patterns = secrets.SelectMany(SecretForms.Expand).Distinct().Select(Encoding.UTF8.GetBytes).ToList();
        var covered = new List<(int Start, int End)>();
        foreach (var pattern in patterns)
        {
            for (var i = 0; i + pattern.Length <= input.Length; i++)
            {
                if (input.AsSpan(i, pattern.Length).SequenceEqual(pattern))
                {
                    covered.Add((i, i + pattern.Length));
                }
            }
        }

        var output = new List<byte>();
        var position = 0;
        var ranges = covered.OrderBy(r => r.Start).ToList();
        var k = 0;
        while (k < ranges.Count)
        {
            var (start, end) = ranges[k++];
            while (k < ranges.Count && ranges[k].Start <= end)
            {
                end = Math.Max(end, ranges[k++].End);
            }

            output.AddRange(input[position..start]);
            output.AddRange("***"u8.ToArray());
            position = end;
        }

        output.AddRange(input[position..]);
        return [.. output];
    }
}
