using System.Globalization;

namespace Cairn.Bench.Load;

/// <summary>Options of `load`; every default lives here.</summary>
internal sealed record LoadOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(3);

    // 3 s: at 0.5 s the first SSM row still ran partly on tier-0 code and read up to 30% slower than the rows after it.
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    public int Parameters { get; init; } = 100_000;

    public IReadOnlyList<int> Concurrency { get; init; } = [1, 16, 64];

    /// <summary>Host the server in this process instead of a `cairn serve` child (memory then includes the generator).</summary>
    public bool InProcess { get; init; }

    /// <summary>Path to cairn.dll; found next to the repository's build output when not given.</summary>
    public string? CairnPath { get; init; }

    /// <summary>The server's --database (a PostgreSQL connection string); null keeps SQLite in the data directory.</summary>
    public string? Database { get; init; }

    /// <summary>The server's --parameter-cache-mb; null leaves its default. 0 measures every read from the database.</summary>
    public int? ParameterCacheMegabytes { get; init; }

    /// <summary>Only the scenarios whose name contains one of these (case-insensitive); the ceilings always run.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary>How many times each scenario row is measured (tail latency shows over many runs, not one).</summary>
    public int Rounds { get; init; } = 1;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--duration" => options with { Duration = ParseDuration(Next()) },
                "--warmup" => options with { Warmup = ParseDuration(Next()) },
                "--params" => options with { Parameters = int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture) },
                "--concurrency" => options with { Concurrency = Next().Split(',').Select(c => int.Parse(c, NumberStyles.None, CultureInfo.InvariantCulture)).ToList() },
                "--in-process" => options with { InProcess = true },
                "--cairn" => options with { CairnPath = Next() },
                "--database" => options with { Database = Next() },
                "--parameter-cache-mb" => options with { ParameterCacheMegabytes = int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture) },
                "--only" => options with { Only = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--rounds" => options with { Rounds = int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --duration 3s --warmup 500ms --params 100000 --concurrency 1,16,64 --in-process --cairn <cairn.dll> --parameter-cache-mb <n> --database <PostgreSQL connection string> --only PutParameter,GetParameter --rounds 10"),
            };
        }

        if (options.Concurrency.Count == 0 || options.Concurrency.Any(c => c < 1))
        {
            throw new ArgumentException("--concurrency needs positive numbers, like 1,16,64.");
        }

        if (options.Rounds < 1)
        {
            throw new ArgumentException("--rounds needs a positive number.");
        }

        return options;
    }

    /// <summary>"5s", "500ms", "1m" or plain seconds.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        if (text.EndsWith("ms", StringComparison.Ordinal))
        {
            return TimeSpan.FromMilliseconds(double.Parse(text[..^2], CultureInfo.InvariantCulture));
        }

        if (text.EndsWith('m'))
        {
            return TimeSpan.FromMinutes(double.Parse(text[..^1], CultureInfo.InvariantCulture));
        }

        return TimeSpan.FromSeconds(double.Parse(text.TrimEnd('s'), CultureInfo.InvariantCulture));
    }
}
