using System.Diagnostics;
using System.Text;

namespace Cairn.Core.Tests.Fuzz;

/// <summary>
/// Deterministic input mutation for the fuzz tests: from a fixed seed, the same corpus gives the same inputs on every
/// machine, so a failure in CI reproduces from the seed and iteration it prints. Runs are bounded by a count and a
/// time budget, whichever ends first.
/// </summary>
internal sealed class Mutator(int seed)
{
    /// <summary>Fragments that break parsers: structure, escapes, invalid UTF-8 and UTF-16, control characters, big numbers.</summary>
    private static readonly string[] Tokens =
    [
        "\"", "{", "}", "[", "]", ":", ",", "\\", "\\u", "\\ud800", "\\udc00", "\\u0000", "\0", "\u0001", "\u001b", "\r\n", "\t",
        "%", "%00", "%ff", "%ED%A0%80", "&", "=", "+", "*", "?", "$", "${", "${aws:username}", "{{resolve:ssm:", "!Ref", "&anchor", "*anchor",
        "1e999", "-0", "99999999999999999999", "NaN", "null", "true", "[[[[[[[[[[[[[[[[", "{\"a\":{\"a\":{\"a\":", "- ", ": ", "|", ">", "---", "...",
        "Ω", "名", "\ud800", "\U0001F600", "arn:aws:iam::000000000000:role/", "AWS4-HMAC-SHA256", "Credential=", "SignedHeaders=", "Signature=", "/",
    ];

    private static readonly byte[][] ByteTokens =
    [
        [0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x00], [0x7f], [0xef, 0xbb, 0xbf],
    ];

    private readonly Random _random = new(seed);

    public int Seed => seed;

    public int Next(int max) => _random.Next(max);

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>One to four edits of text: token insertions, deletions, duplications, case flips, splices, truncation.</summary>
    public string Mutate(string text, IReadOnlyList<string>? corpus = null)
    {
        var builder = new StringBuilder(text);
        for (var edits = 1 + _random.Next(4); edits > 0; edits--)
        {
            var at = builder.Length == 0 ? 0 : _random.Next(builder.Length + 1);
            switch (_random.Next(8))
            {
                case 0:
                case 1:
                    builder.Insert(at, Pick(Tokens));
                    break;
                case 2 when builder.Length > 0:
                    builder.Remove(Math.Min(at, builder.Length - 1), Math.Min(1 + _random.Next(8), builder.Length - Math.Min(at, builder.Length - 1)));
                    break;
                case 3 when builder.Length > 0:
                    var start = _random.Next(builder.Length);
                    var length = Math.Min(1 + _random.Next(32), builder.Length - start);
                    builder.Insert(at, builder.ToString(start, length), 1 + _random.Next(3));
                    break;
                case 4 when builder.Length > 0:
                    var i = _random.Next(builder.Length);
                    builder[i] = char.IsUpper(builder[i]) ? char.ToLowerInvariant(builder[i]) : char.ToUpperInvariant(builder[i]);
                    break;
                case 5 when corpus is { Count: > 0 }:
                    var other = Pick(corpus);
                    builder.Insert(at, other[_random.Next(other.Length + 1)..]);
                    break;
                case 6 when builder.Length > 0:
                    builder.Length = _random.Next(builder.Length);
                    break;
                default:
                    builder.Insert(at, (char)_random.Next(0x20, 0x7f));
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Text mutations, then sometimes raw byte edits that make the UTF-8 invalid.</summary>
    public byte[] MutateBytes(string text, IReadOnlyList<string>? corpus = null)
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(Mutate(text, corpus)));
        if (_random.Next(4) == 0)
        {
            bytes.InsertRange(bytes.Count == 0 ? 0 : _random.Next(bytes.Count + 1), Pick(ByteTokens));
        }

        if (_random.Next(6) == 0 && bytes.Count > 0)
        {
            var i = _random.Next(bytes.Count);
            bytes[i] ^= (byte)(1 << _random.Next(8));
        }

        return [.. bytes];
    }

    /// <summary>Runs <paramref name="check"/> on inputs from each seed until <paramref name="iterations"/> or the budget; a failure names seed and iteration.</summary>
    public static int Run(int[] seeds, int iterations, TimeSpan budget, Action<Mutator, int> check)
    {
        var clock = Stopwatch.StartNew();
        var perSeed = budget / seeds.Length;
        var total = 0;
        foreach (var seed in seeds)
        {
            var mutator = new Mutator(seed);
            var started = clock.Elapsed;
            for (var i = 0; i < iterations && clock.Elapsed - started < perSeed; i++, total++)
            {
                try
                {
                    check(mutator, i);
                }
                catch (Exception error) when (error is not Xunit.Sdk.XunitException)
                {
                    throw new Xunit.Sdk.XunitException($"seed {seed}, iteration {i}: {error}");
                }
            }
        }

        return total;
    }

    /// <summary>Fails when <paramref name="work"/> takes longer than <paramref name="limit"/>: a hang or catastrophic backtracking.</summary>
    public static T WithinTime<T>(Func<T> work, TimeSpan limit, Func<string> describe)
    {
        // A thread of its own: a Task.Run item can wait longer than the limit behind other tests' work on a loaded
        // machine (2 cores, the whole suite in parallel), which reported a parse that never started as a hang.
        var task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!task.Wait(limit))
        {
            throw new Xunit.Sdk.XunitException($"no answer within {limit.TotalSeconds}s for {describe()}");
        }

        return task.Result;
    }

    public static string Show(string input) => Convert.ToBase64String(Encoding.UTF8.GetBytes(input));
}
