using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Core.Builds;
using Cairn.Server.Hosting;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;
using Cairn.Storage.Files;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Bench.Logs;

/// <summary>
/// `livelog [--lines N] [--tabs N]`: how long a line written to a running build's log takes to reach a dashboard tab as
/// its Server-Sent Event (written by the server's own log writer, as a build's lines are, and by a second store on the
/// same directory, as `cairn build` in another process writes them), and what open tabs cost the server while idle.
/// An in-process server on loopback, signed in as root through the sign-in form. Prints a markdown report.
/// </summary>
internal static partial class LiveLogBench
{
    // The throwaway server's root key, made per run as BenchServer makes its own: nothing key-like is kept in the source.
    private static readonly string KeyId = "AKIABENCH" + RandomNumberGenerator.GetHexString(11, lowercase: false);
    private static readonly string Secret = RandomNumberGenerator.GetHexString(40, lowercase: true);

    public static async Task<int> RunAsync(string[] args)
    {
        var lines = Option(args, "--lines", 200);
        var tabs = Option(args, "--tabs", 50);
        var data = Directory.CreateTempSubdirectory("cairn-bench-livelog-").FullName;
        try
        {
            await using var server = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = data, Port = 0, RootAccessKeyId = KeyId, RootSecretAccessKey = Secret });
            using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
            using var http = new HttpClient(handler) { BaseAddress = server.Endpoint, Timeout = TimeSpan.FromMinutes(5) };
            await SignInAsync(http, Secret);
            var logs = server.Services.GetRequiredService<IBuildLogStore>();
            var root = ((FileBuildLogStore)logs).Root;

            Console.WriteLine($"| writer | lines | median ms | p90 ms | p99 ms | max ms |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (name, store) in new (string, IBuildLogStore)[] { ("the server's own (a build it runs)", logs), ("another process's store on the same directory", new FileBuildLogStore(root)) })
            {
                var build = await RunningBuildAsync(server);
                var writer = store.OpenWriter(build.Uuid);
                var latencies = await MeasureAsync(http, build.Id, writer, lines);
                await writer.DisposeAsync();
                latencies.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {lines} | {At(latencies, 0.5):F2} | {At(latencies, 0.9):F2} | {At(latencies, 0.99):F2} | {latencies[^1]:F2} |"));
            }

            await IdleAsync(server, http, tabs);
            return 0;
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Appends a line, then waits for its event on the open stream; one line every 20 ms (each its own wake-up).</summary>
    private static async Task<List<double>> MeasureAsync(HttpClient http, string id, IBuildLogWriter writer, int lines)
    {
        using var response = await http.GetAsync($"/builds/{Uri.EscapeDataString(id)}/log/events?from=0", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var latencies = new List<double>(lines);
        for (var i = 0; i < lines; i++)
        {
            var start = Stopwatch.GetTimestamp();
            writer.Append($"line {i} of the bench", DateTimeOffset.UtcNow);
            var wanted = $"id: {i}";
            while (await reader.ReadLineAsync() is { } line && line != wanted)
            {
            }

            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            await Task.Delay(20);
        }

        return latencies;
    }

    /// <summary>Opens <paramref name="tabs"/> streams on running builds that write nothing, and measures the process's CPU over 10 s.</summary>
    private static async Task IdleAsync(CairnServer server, HttpClient http, int tabs)
    {
        var open = new List<(HttpResponseMessage, IBuildLogWriter)>();
        var logs = server.Services.GetRequiredService<IBuildLogStore>();
        var other = new FileBuildLogStore(((FileBuildLogStore)logs).Root);
        for (var i = 0; i < tabs; i++)
        {
            var build = await RunningBuildAsync(server);
            // Half written by this server, half by "another process": those are watched through inotify.
            var writer = (i % 2 == 0 ? logs : other).OpenWriter(build.Uuid);
            writer.Append("started", DateTimeOffset.UtcNow);
            var response = await http.GetAsync($"/builds/{Uri.EscapeDataString(build.Id)}/log/events?from=0", HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            open.Add((response, writer));
        }

        await Task.Delay(2000);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var looks = Looks(logs);
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(10_000);
        process.Refresh();
        var used = process.TotalProcessorTime - cpu;
        looks = Looks(logs) - looks;
        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{tabs} idle tabs (streams open on running builds writing nothing) for {elapsed.TotalSeconds:F1} s: {used.TotalMilliseconds:F0} ms of CPU for the whole process (server and bench); the log store's followers looked at a log {looks} times."));
        foreach (var (response, writer) in open)
        {
            response.Dispose();
            await writer.DisposeAsync();
        }
    }

    private static async Task<BuildRecord> RunningBuildAsync(CairnServer server)
    {
        var store = server.Services.GetRequiredService<IBuildStore>();
        var scope = new BuildScope(CairnServerOptions.DefaultAccountId, CairnServerOptions.DefaultRegionName);
        var now = DateTimeOffset.UtcNow;
        var settings = await ProjectAsync(store, scope, "bench");
        var build = BuildRecord.Submit(scope, "bench", Guid.NewGuid().ToString("D"), settings, null, "bench", null, null, now)
            .BeginPhase(BuildPhaseTypes.Build, now, firstLogLine: 0);
        // A runner on another host seen just now: no sweep takes the build for an orphan while the bench runs.
        return await store.AddClaimedBuildAsync(build, "bench-elsewhere/1/1", now, default);
    }

    /// <summary>The project <paramref name="name"/> (NO_SOURCE, one echo), stored directly on first use; its settings.</summary>
    internal static async Task<ProjectSettings> ProjectAsync(IBuildStore store, BuildScope scope, string name)
    {
        var now = DateTimeOffset.UtcNow;
        if (await store.GetProjectAsync(scope, name, default) is null)
        {
            var document = new JsonObject
            {
                ["name"] = name,
                ["source"] = new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n" },
                ["artifacts"] = new JsonObject { ["type"] = "NO_ARTIFACTS" },
                ["environment"] = new JsonObject { ["type"] = "LINUX_EC2", ["image"] = "host", ["computeType"] = "BUILD_GENERAL1_SMALL" },
                ["serviceRole"] = $"arn:aws:iam::{CairnServerOptions.DefaultAccountId}:role/bench",
            }.ToJsonString();
            await store.CreateProjectAsync(new BuildProject(scope, name, ProjectSettings.FromDocument(document), now, now), default);
        }

        return (await store.GetProjectAsync(scope, name, default))!.Settings;
    }

    /// <summary>Signs <paramref name="http"/> in to the dashboard as root (its cookie container keeps the session).</summary>
    internal static async Task SignInAsync(HttpClient http, string secret)
    {
        var page = await http.GetStringAsync(new Uri("/signin", UriKind.Relative));
        var match = CsrfField().Match(page);
        var token = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__csrf"] = WebUtility.HtmlDecode(token), ["Account"] = CairnServerOptions.DefaultAccountId, ["UserName"] = "root", ["Password"] = secret,
        });
        var response = await http.PostAsync(new Uri("/signin", UriKind.Relative), form);
        if (response.StatusCode != HttpStatusCode.SeeOther)
        {
            throw new InvalidOperationException($"sign-in failed: {response.StatusCode}");
        }
    }

    /// <summary>The store's count of follower looks (internal to the store; read here by reflection).</summary>
    private static long Looks(IBuildLogStore store) =>
        (long)typeof(FileBuildLogStore).GetProperty("FollowerLooks", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(store)!;

    internal static double At(List<double> sorted, double quantile) => sorted[Math.Min(sorted.Count - 1, (int)(quantile * sorted.Count))];

    internal static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"|type=\"hidden\" name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
