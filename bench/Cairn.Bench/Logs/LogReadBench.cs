using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Files;

namespace Cairn.Bench.Logs;

/// <summary>
/// `logs [--mb N] [--runs N]`: CloudWatch Logs reads of one big build log (N MB, default 100), as GetLogEvents and
/// FilterLogEvents make them, through <see cref="FileBuildLogStore"/> and, as the baseline in the same run, the way
/// Cairn read logs before the store had an index (every call re-read the whole file into events, then took its page).
/// Prints a markdown report (progress on stderr).
/// </summary>
internal static class LogReadBench
{
    private const int Page = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        var megabytes = Option(args, "--mb", 100);
        var runs = Option(args, "--runs", 5);
        var root = Directory.CreateTempSubdirectory("cairn-bench-logs-").FullName;
        try
        {
            var store = new FileBuildLogStore(root);
            var uuid = Guid.NewGuid().ToString();
            Console.Error.WriteLine($"writing a {megabytes} MB log through the store's writer");
            var started = Stopwatch.GetTimestamp();
            long lines;
            await using (var writer = store.OpenWriter(uuid))
            {
                var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
                var target = megabytes * 1024L * 1024;
                long bytes = 0;
                for (lines = 0; bytes < target; lines++)
                {
                    var line = string.Create(CultureInfo.InvariantCulture, $"[Container] step {lines}: compiling src/module-{lines % 997}/file-{lines % 31}.cs (ok)");
                    writer.Append(line, t0.AddMilliseconds(lines));
                    bytes += line.Length + 15;
                }
            }

            var append = Stopwatch.GetElapsedTime(started);
            var path = Path.Combine(root, uuid, "log");
            var size = new FileInfo(path).Length;
            var indexSize = new FileInfo(Path.Combine(root, uuid, "log.idx")).Length;

            // The same log as it was before the index: the first read indexes it, once.
            var legacy = Guid.NewGuid().ToString();
            Directory.CreateDirectory(Path.Combine(root, legacy));
            File.Copy(path, Path.Combine(root, legacy, "log"));
            started = Stopwatch.GetTimestamp();
            await new FileBuildLogStore(root).DescribeAsync(legacy, CancellationToken.None);
            var indexing = Stopwatch.GetElapsedTime(started);

            var middle = lines / 2;
            var rows = new List<string>();
            async Task Row(string name, Func<Task<int>> before, Func<Task<int>> after)
            {
                Console.Error.WriteLine(name);
                var (beforeMs, beforeCount) = await MedianAsync(before, runs);
                var meter = store.Meter.Bytes;
                var (afterMs, afterCount) = await MedianAsync(after, runs * 20);
                var readPerCall = (store.Meter.Bytes - meter) / (runs * 20);
                if (beforeCount != afterCount)
                {
                    throw new InvalidOperationException($"{name}: the baseline found {beforeCount} events, the store {afterCount}");
                }

                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {afterCount} | {beforeMs:F1} | {afterMs:F3} | {beforeMs / afterMs:F0}x | {size / 1024 / 1024} MB | {readPerCall:N0} B |"));
            }

            await Row("GetLogEvents startFromHead, limit 100",
                () => Task.FromResult(WholeLog(path).Take(Page).Count()),
                async () => (await store.ReadAsync(uuid, new BuildLogRange { Limit = Page }, CancellationToken.None)).Events.Count);
            await Row("GetLogEvents forward token at the middle, limit 100",
                () => Task.FromResult(WholeLog(path).Where(e => e.Index >= middle).Take(Page).Count()),
                async () => (await store.ReadAsync(uuid, new BuildLogRange { From = middle, Limit = Page }, CancellationToken.None)).Events.Count);
            await Row("GetLogEvents newest 100 (no token)",
                () => Task.FromResult(WholeLog(path).TakeLast(Page).Count()),
                async () => (await store.ReadAsync(uuid, new BuildLogRange { Limit = Page, FromEnd = true }, CancellationToken.None)).Events.Count);
            await Row("GetLogEvents startTime..endTime (1 s of the log)",
                () => Task.FromResult(WholeLog(path).Count(e => e.Ms >= 1_700_000_000_000 + middle && e.Ms < 1_700_000_001_000 + middle)),
                async () => (await store.ReadAsync(uuid, new BuildLogRange
                {
                    Since = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + middle),
                    Until = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_001_000 + middle),
                }, CancellationToken.None)).Events.Count);

            // A search has to look at every line it covers; the difference is matching bytes without decoding each line.
            var term = string.Create(CultureInfo.InvariantCulture, $"step {middle}:");
            Console.Error.WriteLine("FilterLogEvents");
            var (scanBefore, foundBefore) = await MedianAsync(() => Task.FromResult(WholeLog(path).Count(e => e.Message.Contains(term, StringComparison.Ordinal))), runs);
            var (scanAfter, foundAfter) = await MedianAsync(async () =>
                (await store.SearchAsync(uuid, new BuildLogSearch([term], [], []), CancellationToken.None)).Events.Count, runs);

            Console.WriteLine($"Log: {size:N0} bytes, {lines:N0} lines; index {indexSize:N0} bytes. {runs} runs of the baseline, {runs * 20} of the store; medians.");
            Console.WriteLine();
            Console.WriteLine("| read | events | whole re-read (ms) | store (ms) | ratio | log | bytes read per call |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            rows.ForEach(Console.WriteLine);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| FilterLogEvents one rare term, whole log | {foundAfter}/{foundBefore} | {scanBefore:F1} | {scanAfter:F1} | {scanBefore / scanAfter:F1}x | | |"));
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Append through the writer: {lines / append.TotalSeconds:N0} lines/s ({append.TotalSeconds:F1} s). Indexing the same log written before the index: {indexing.TotalMilliseconds:F0} ms, once."));
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The baseline, as BuildLogStore.Read did it before the index: every line of the file, parsed into an event.</summary>
    private static List<(long Index, long Ms, string Message)> WholeLog(string path)
    {
        var events = new List<(long, long, string)>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        long index = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var ms = tab > 0 && long.TryParse(line.AsSpan(0, tab), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
            events.Add((index++, ms, line[(tab + 1)..] + "\n"));
        }

        return events;
    }

    private static async Task<(double Milliseconds, int Result)> MedianAsync(Func<Task<int>> run, int runs)
    {
        var times = new List<double>();
        var result = 0;
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            result = await run();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        return (times[times.Count / 2], result);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
