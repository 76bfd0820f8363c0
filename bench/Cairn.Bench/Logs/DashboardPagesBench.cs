using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Cairn.Core.Builds;
using Cairn.Server.Hosting;
using Cairn.Storage.Builds;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Bench.Logs;

/// <summary>
/// `dashboard [--builds N] [--requests N]`: the build-history pages of one project with N stored builds (10% FAILED),
/// each requested N times over loopback HTTP as root (body read whole) after warm-up, beside `GET /_cairn/ping` as the
/// baseline of the same run. An in-process server in a fresh data directory; the builds are written through the build
/// store directly (StartBuild would run each one). Prints a markdown table judged against the 100 ms target.
/// </summary>
internal static class DashboardPagesBench
{
    private const string Project = "big";
    private const double TargetMs = 100;
    private const int WarmUp = 5;
    private static readonly string KeyId = "AKIABENCH" + RandomNumberGenerator.GetHexString(11, lowercase: false);
    private static readonly string Secret = RandomNumberGenerator.GetHexString(40, lowercase: true);

    public static async Task<int> RunAsync(string[] args)
    {
        var builds = LiveLogBench.Option(args, "--builds", 10_000);
        var requests = LiveLogBench.Option(args, "--requests", 30);
        if (builds < 100 || requests < 1)
        {
            Console.Error.WriteLine("dashboard: --builds must be at least 100 and --requests at least 1.");
            return 2;
        }

        var data = Directory.CreateTempSubdirectory("cairn-bench-dashboard-").FullName;
        try
        {
            await using var server = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = data, Port = 0, RootAccessKeyId = KeyId, RootSecretAccessKey = Secret });
            var fill = Stopwatch.StartNew();
            var (oldest, failed) = await FillAsync(server.Services.GetRequiredService<IBuildStore>(), builds);
            Console.Error.WriteLine($"dashboard: stored {builds} builds ({failed} FAILED) in {fill.Elapsed.TotalSeconds:F1} s");

            using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
            using var http = new HttpClient(handler) { BaseAddress = server.Endpoint, Timeout = TimeSpan.FromMinutes(5) };
            await LiveLogBench.SignInAsync(http, Secret);
            var project = Uri.EscapeDataString(Project);
            // Each row with a text its page must hold, so a row never times an empty or wrong page.
            var rows = new (string Name, string Path, string Holds)[]
            {
                ("baseline: `GET /_cairn/ping` (no session, no page)", "/_cairn/ping", ""),
                ("`/projects`", "/projects", Project),
                ("`/builds` (50 newest of all projects)", "/builds", Project),
                ($"`/projects/{Project}/builds`", $"/projects/{project}/builds", Project),
                ($"`/projects/{Project}/builds?status=FAILED`", $"/projects/{project}/builds?status=FAILED", BuildStatuses.Failed),
                ("`/builds?before=<oldest+50>` (the last page: keyset, no OFFSET)", "/builds?before=" + (oldest.BuildNumber + 50).ToString(CultureInfo.InvariantCulture), oldest.Uuid),
                ("`/builds/<id>` (detail of the oldest build)", "/builds/" + Uri.EscapeDataString(oldest.Id), oldest.Uuid),
            };

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{builds:N0} builds of one project, {requests} requests a row after {WarmUp} warm-up requests; loopback HTTP, body read whole."));
            Console.WriteLine();
            Console.WriteLine("| page | median ms | p90 ms | max ms | median / baseline | target < 100 ms |");
            Console.WriteLine("|---|---:|---:|---:|---:|---|");
            double? baseline = null;
            foreach (var (name, path, holds) in rows)
            {
                var times = await TimeAsync(http, path, holds, requests);
                var median = LiveLogBench.At(times, 0.5);
                baseline ??= median;
                var verdict = path == "/_cairn/ping" ? "" : times[^1] < TargetMs ? "met (max)" : LiveLogBench.At(times, 0.9) < TargetMs ? "met (p90), max over" : "**not met**";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {median:F2} | {LiveLogBench.At(times, 0.9):F2} | {times[^1]:F2} | {median / baseline.Value:F1}x | {verdict} |"));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Stores <paramref name="count"/> finished builds of the project, one a minute back from now, every tenth FAILED; the oldest and the FAILED count.</summary>
    private static async Task<(BuildRecord Oldest, int Failed)> FillAsync(IBuildStore store, int count)
    {
        var scope = new BuildScope(CairnServerOptions.DefaultAccountId, CairnServerOptions.DefaultRegionName);
        var settings = await LiveLogBench.ProjectAsync(store, scope, Project);
        var start = DateTimeOffset.UtcNow.AddMinutes(-count - 10);
        BuildRecord? oldest = null;
        var failed = 0;
        for (var i = 0; i < count; i++)
        {
            var at = start.AddMinutes(i);
            var status = i % 10 == 3 ? BuildStatuses.Failed : BuildStatuses.Succeeded;
            failed += status == BuildStatuses.Failed ? 1 : 0;
            var build = BuildRecord.Submit(scope, Project, Guid.NewGuid().ToString("D"), settings, null, "bench", null, null, at)
                .BeginPhase(BuildPhaseTypes.Build, at, firstLogLine: 0);
            const string runner = "bench-elsewhere/1/1";
            var stored = await store.AddClaimedBuildAsync(build, runner, at, default);
            var done = await store.UpdateClaimedBuildAsync(stored.Uuid, runner, at.AddSeconds(42), b => b.Complete(status, at.AddSeconds(42)), default)
                ?? throw new InvalidOperationException($"build {stored.Id} vanished while the bench completed it");
            oldest ??= done;
        }

        return (oldest!, failed);
    }

    /// <summary>Requests <paramref name="path"/> (checking once that it shows <paramref name="holds"/>) <see cref="WarmUp"/> times unmeasured, then <paramref name="requests"/> times; the sorted times in ms.</summary>
    private static async Task<List<double>> TimeAsync(HttpClient http, string path, string holds, int requests)
    {
        var times = new List<double>(requests);
        for (var i = 0; i < WarmUp + requests; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsByteArrayAsync();
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode} ({body.Length} bytes): the bench measures only pages that render");
            }

            if (i == 0 && !System.Text.Encoding.UTF8.GetString(body).Contains(holds, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"GET {path} does not show '{holds}': the bench would time the wrong page");
            }

            if (i >= WarmUp)
            {
                times.Add(elapsed);
            }
        }

        times.Sort();
        return times;
    }
}
