using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Cli.Builds;

namespace Cairn.Cli.Pipelines;

/// <summary>How `cairn pipeline watch` writes: a redrawn screen (a terminal), a line per change, or JSON objects per change.</summary>
internal enum WatchOutput
{
    Screen,
    Lines,
    Json,
}

/// <summary>What `cairn pipeline watch` was asked for.</summary>
internal sealed record WatchRequest(string Pipeline, string? ExecutionId, WatchOutput Output, TimeSpan Interval, string Endpoint, bool Colour);

/// <summary>
/// Follows one execution through CodePipeline's API until it ends: polls GetPipelineExecution, GetPipelineState and
/// ListActionExecutions, and the CloudWatch Logs stream of a CodeBuild action while it runs. Exit status: 0 the execution
/// Succeeded, 1 it ended otherwise, 2 the server refused or could not be reached, 3 no such pipeline or execution.
/// </summary>
internal sealed class PipelineWatcher(AwsApiClient client, TextWriter output, TextWriter error, TimeProvider time)
{
    private const string Target = "CodePipeline_20150709.";
    private const int TailLines = 12;

    private readonly Dictionary<string, string?> _logTokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _logsRead = new(StringComparer.Ordinal);
    private readonly List<string> _tail = [];
    private string? _tailBuild;

    public async Task<int> RunAsync(WatchRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var executionId = request.ExecutionId ?? await LatestExecutionAsync(request, cancellationToken);
            WatchSnapshot? previous = null;
            while (true)
            {
                var snapshot = await SnapshotAsync(request.Pipeline, executionId, cancellationToken);
                var now = time.GetUtcNow();
                await WriteAsync(request, previous, snapshot, now, cancellationToken);
                previous = snapshot;
                if (snapshot.IsOver)
                {
                    if (request.Output == WatchOutput.Screen)
                    {
                        await output.WriteLineAsync($"{snapshot.Pipeline} {snapshot.ExecutionId}: {snapshot.Status}");
                    }

                    return snapshot.Status == "Succeeded" ? 0 : 1;
                }

                await Task.Delay(request.Interval, time, cancellationToken);
            }
        }
        catch (AwsApiException refused)
        {
            await error.WriteLineAsync($"cairn pipeline watch: {refused.Code}: {refused.Message}");
            return refused.Code is "PipelineNotFoundException" or "PipelineExecutionNotFoundException" ? 3 : 2;
        }
        catch (HttpRequestException unreachable)
        {
            await error.WriteLineAsync($"cairn pipeline watch: cannot reach {request.Endpoint}: {unreachable.Message}. Start the server with `cairn serve`, or point --endpoint-url (or AWS_ENDPOINT_URL) at the one running.");
            return 2;
        }
    }

    /// <summary>The newest execution; waits for the first one when the pipeline has never run.</summary>
    private async Task<string> LatestExecutionAsync(WatchRequest request, CancellationToken cancellationToken)
    {
        var said = false;
        while (true)
        {
            var page = await CallAsync("ListPipelineExecutions", new JsonObject { ["pipelineName"] = request.Pipeline, ["maxResults"] = 1 }, cancellationToken);
            if ((page["pipelineExecutionSummaries"] as JsonArray)?.FirstOrDefault() is JsonObject latest && (string?)latest["pipelineExecutionId"] is { } id)
            {
                return id;
            }

            if (!said && request.Output != WatchOutput.Json)
            {
                await output.WriteLineAsync($"{request.Pipeline} has not run yet; waiting for its first execution (aws codepipeline start-pipeline-execution --name {request.Pipeline}, or a push)");
                said = true;
            }

            await Task.Delay(request.Interval, time, cancellationToken);
        }
    }

    private async Task<WatchSnapshot> SnapshotAsync(string pipeline, string executionId, CancellationToken cancellationToken)
    {
        var execution = await CallAsync("GetPipelineExecution", new JsonObject { ["pipelineName"] = pipeline, ["pipelineExecutionId"] = executionId }, cancellationToken);
        var state = await CallAsync("GetPipelineState", new JsonObject { ["name"] = pipeline }, cancellationToken);
        var actions = await CallAsync("ListActionExecutions", new JsonObject
        {
            ["pipelineName"] = pipeline,
            ["filter"] = new JsonObject { ["pipelineExecutionId"] = executionId },
        }, cancellationToken);
        return WatchSnapshot.From(pipeline, execution, state, actions);
    }

    private async Task WriteAsync(WatchRequest request, WatchSnapshot? previous, WatchSnapshot snapshot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changes = PipelineWatchRenderer.Changes(previous, snapshot, request.Endpoint, now);
        var logLines = await NewLogLinesAsync(snapshot, cancellationToken);
        switch (request.Output)
        {
            case WatchOutput.Json:
                foreach (var change in changes.Where(c => c.Type != "execution" || snapshot.IsOver || previous is null))
                {
                    await output.WriteLineAsync(change.ToJson().ToJsonString());
                }

                foreach (var (action, line) in logLines)
                {
                    await output.WriteLineAsync(new JsonObject { ["type"] = "log", ["action"] = action, ["line"] = line }.ToJsonString());
                }

                break;
            case WatchOutput.Lines:
                foreach (var change in changes)
                {
                    await output.WriteLineAsync(PipelineWatchRenderer.Line(change));
                }

                foreach (var (_, line) in logLines)
                {
                    await output.WriteLineAsync("  | " + line);
                }

                break;
            default:
                // Redraw in place: cursor home, clear the screen, draw.
                await output.WriteAsync("\e[H\e[2J" + PipelineWatchRenderer.Screen(snapshot, request.Endpoint,
                    _tailBuild is null ? null : $"{_tailBuild} (last {TailLines} lines)", _tail, now, request.Colour));
                break;
        }

        await output.FlushAsync(cancellationToken);
    }

    /// <summary>The lines each running (or just ended) CodeBuild action's build wrote since the last poll, from its CloudWatch Logs stream.</summary>
    private async Task<List<(string Action, string Line)>> NewLogLinesAsync(WatchSnapshot snapshot, CancellationToken cancellationToken)
    {
        var lines = new List<(string, string)>();
        foreach (var action in snapshot.Actions.Where(a => a.IsCodeBuild && a.ExternalId is { } id && id.Contains(':', StringComparison.Ordinal)))
        {
            var build = action.ExternalId!;
            var running = action.Status == "InProgress";
            if (_logsRead.Contains(build))
            {
                continue;
            }

            if (_tailBuild != build)
            {
                _tailBuild = build;
                _tail.Clear();
            }

            var cut = build.IndexOf(':', StringComparison.Ordinal);
            for (var page = 0; page < 20; page++)
            {
                var input = new JsonObject
                {
                    ["logGroupName"] = "/aws/codebuild/" + build[..cut],
                    ["logStreamName"] = build[(cut + 1)..],
                    ["startFromHead"] = true,
                };
                if (_logTokens.GetValueOrDefault(build) is { } token)
                {
                    input["nextToken"] = token;
                }

                JsonObject events;
                try
                {
                    events = await client.JsonAsync("logs", "Logs_20140328.GetLogEvents", input, cancellationToken);
                }
                catch (AwsApiException)
                {
                    break; // No log yet, or no logs:GetLogEvents: the screen shows the actions without it.
                }

                var got = (events["events"] as JsonArray ?? []).Select(e => (string?)e?["message"]).OfType<string>().ToList();
                _logTokens[build] = (string?)events["nextForwardToken"] ?? _logTokens.GetValueOrDefault(build);
                foreach (var line in got.Select(l => l.TrimEnd('\n')))
                {
                    lines.Add((action.Key, line));
                    _tail.Add(line);
                }

                if (got.Count == 0)
                {
                    break;
                }
            }

            if (!running)
            {
                // Read to its end once it is over; never again.
                _logTokens.Remove(build);
                _logsRead.Add(build);
            }
        }

        if (_tail.Count > TailLines)
        {
            _tail.RemoveRange(0, _tail.Count - TailLines);
        }

        return lines;
    }

    private Task<JsonObject> CallAsync(string operation, JsonObject input, CancellationToken cancellationToken) =>
        client.JsonAsync("codepipeline", Target + operation, input, cancellationToken);
}
