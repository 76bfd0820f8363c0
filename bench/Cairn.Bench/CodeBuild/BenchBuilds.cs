using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Cairn.Bench.CodeBuild;

/// <summary>What the build benches share: host-shell projects, StartBuild to first output on the live log, percentiles, options.</summary>
internal static class BenchBuilds
{
    /// <summary>A NO_SOURCE host-shell project run as the bench role; with <paramref name="agentLabels"/>, only agents carrying them run it.</summary>
    public static Task CreateProjectAsync(AwsJsonClient client, string name, string buildspec, string? agentLabels = null) =>
        client.JsonAsync("codebuild", "CodeBuild_20161006.CreateProject", new JsonObject
        {
            ["name"] = name,
            ["source"] = new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = buildspec },
            ["artifacts"] = new JsonObject { ["type"] = "NO_ARTIFACTS" },
            ["environment"] = new JsonObject
            {
                ["type"] = "LINUX_EC2", ["image"] = "host", ["computeType"] = "BUILD_GENERAL1_SMALL",
                ["environmentVariables"] = agentLabels is null ? new JsonArray() : new JsonArray(new JsonObject { ["name"] = "CAIRN_AGENT_LABELS", ["value"] = agentLabels }),
            },
            ["serviceRole"] = "arn:aws:iam::000000000000:role/bench-role",
        }, CancellationToken.None);

    /// <summary>
    /// Milliseconds from sending StartBuild for <paramref name="project"/> to reading the line <paramref name="marker"/> (the
    /// command's own output, not the "Running command echo ..." line before it) on the server's live log.
    /// </summary>
    public static async Task<double> TimeToFirstOutputAsync(AwsJsonClient client, string project, string marker)
    {
        var started = Stopwatch.GetTimestamp();
        var build = await client.JsonAsync("codebuild", "CodeBuild_20161006.StartBuild", new JsonObject { ["projectName"] = project }, CancellationToken.None);
        var id = build["build"]!["id"]!.GetValue<string>();
        using var response = await client.FollowLogAsync(id, CancellationToken.None);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            if (line == marker)
            {
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                await reader.ReadToEndAsync();
                return elapsed;
            }
        }

        throw new InvalidOperationException($"build {id} ({project}) ended without printing {marker}");
    }

    public static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
