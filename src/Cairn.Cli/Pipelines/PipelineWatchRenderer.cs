using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Cli.Builds;

namespace Cairn.Cli.Pipelines;

/// <summary>One thing that changed between two snapshots: an action's status, an approval waiting, the execution's end.</summary>
internal sealed record WatchEvent(string Type, DateTimeOffset Time, string? Stage, string? Action, string Status, string? Detail)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["type"] = Type, ["time"] = Time.ToString("O", CultureInfo.InvariantCulture) };
        if (Stage is not null)
        {
            json["stage"] = Stage;
        }

        if (Action is not null)
        {
            json["action"] = Action;
        }

        json["status"] = Status;
        if (Detail is not null)
        {
            json["detail"] = Detail;
        }

        return json;
    }
}

/// <summary>
/// How `cairn pipeline watch` draws an execution: a screen redrawn in place on a terminal (stages, actions with their
/// durations, what each started, the approval command, the running build's last log lines), or one line per change
/// when the output is a file or a pipe, or one JSON object per change with --format json.
/// </summary>
internal static class PipelineWatchRenderer
{
    public static string Screen(WatchSnapshot snapshot, string endpoint, string? logTitle, IReadOnlyList<string> logTail, DateTimeOffset now, bool colour)
    {
        var text = new StringBuilder();
        text.Append(Style(Ansi.Bold, colour, snapshot.Pipeline)).Append("  execution ").Append(snapshot.ExecutionId).Append("  ")
            .Append(Status(snapshot.Status, colour));
        if (snapshot.Trigger is not null)
        {
            text.Append("  (").Append(snapshot.Trigger).Append(')');
        }

        text.Append('\n');
        if (snapshot.StatusSummary is { Length: > 0 } summary)
        {
            text.Append("  ").Append(summary).Append('\n');
        }

        foreach (var stage in snapshot.Stages)
        {
            if (stage.TransitionDisabled)
            {
                text.Append("  ").Append(Style(Ansi.Yellow, colour, $"⏸ transition disabled{(stage.DisabledReason is { } why ? ": " + why : string.Empty)}")).Append('\n');
            }

            text.Append("  ").Append(Marker(stage.Status)).Append(' ').Append(Style(Ansi.Bold, colour, stage.Name));
            text.Append(stage.Status is null ? string.Empty : "  " + Status(stage.Status, colour)).Append('\n');
            foreach (var action in stage.Actions)
            {
                text.Append("      ").Append(action.Action.PadRight(20)).Append(' ').Append(action.Status is null ? "-" : Status(action.Status, colour));
                if (Duration(action, now) is { } duration)
                {
                    text.Append("  ").Append(duration);
                }

                if (action.ExternalId is not null)
                {
                    text.Append("  ").Append(action.ExternalId);
                }

                if (action.Summary is { Length: > 0 } actionSummary && action.Error is null)
                {
                    text.Append("  ").Append(Style(Ansi.Dim, colour, actionSummary));
                }

                text.Append('\n');
                if (action.Error is not null)
                {
                    text.Append("        ").Append(Style(Ansi.Red, colour, action.Error)).Append('\n');
                }

                if (action.Token is not null)
                {
                    text.Append("        ").Append(Style(Ansi.Yellow, colour, "waiting for approval: ")).Append(ApprovalCommand(snapshot, action, endpoint)).Append('\n');
                }
            }
        }

        if (logTitle is not null)
        {
            text.Append(Style(Ansi.Dim, colour, $"── {logTitle} ──")).Append('\n');
            foreach (var line in logTail)
            {
                text.Append("  ").Append(line).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>What changed from <paramref name="previous"/> (null: everything there is) to <paramref name="current"/>.</summary>
    public static IReadOnlyList<WatchEvent> Changes(WatchSnapshot? previous, WatchSnapshot current, string endpoint, DateTimeOffset now)
    {
        var events = new List<WatchEvent>();
        var before = previous?.Actions.ToDictionary(a => a.Key, StringComparer.Ordinal) ?? [];
        foreach (var action in current.Actions)
        {
            before.TryGetValue(action.Key, out var was);
            if (action.Status is not null && action.Status != was?.Status)
            {
                var detail = action.Error ?? JoinNonEmpty(action.ExternalId, action.Summary, Duration(action, now));
                events.Add(new WatchEvent("action", now, action.Stage, action.Action, action.Status, detail));
            }
            else if (action.ExternalId is not null && action.ExternalId != was?.ExternalId)
            {
                events.Add(new WatchEvent("action", now, action.Stage, action.Action, action.Status ?? "InProgress", action.ExternalId));
            }

            if (action.Token is not null && action.Token != was?.Token)
            {
                events.Add(new WatchEvent("approval", now, action.Stage, action.Action, "Waiting", ApprovalCommand(current, action, endpoint)));
            }
        }

        if (previous is null || previous.Status != current.Status)
        {
            events.Add(new WatchEvent("execution", now, null, null, current.Status, JoinNonEmpty(current.ExecutionId, current.StatusSummary)));
        }

        return events;
    }

    public static string Line(WatchEvent change) =>
        $"{change.Time.ToLocalTime():HH:mm:ss} " + change.Type switch
        {
            "execution" => $"execution {change.Status}" + (change.Detail is null ? string.Empty : $"  {change.Detail}"),
            "approval" => $"{change.Stage}/{change.Action} waiting for approval: {change.Detail}",
            _ => $"{change.Stage}/{change.Action} {change.Status}" + (change.Detail is null ? string.Empty : $"  {change.Detail}"),
        };

    /// <summary>The command that approves the waiting action, with the token from GetPipelineState.</summary>
    public static string ApprovalCommand(WatchSnapshot snapshot, ActionView action, string endpoint) =>
        $"aws --endpoint-url {endpoint} codepipeline put-approval-result --pipeline-name {snapshot.Pipeline} --stage-name {action.Stage} "
        + $"--action-name {action.Action} --result summary=approved,status=Approved --token {action.Token}";

    private static string? Duration(ActionView action, DateTimeOffset now)
    {
        if (action.Start is not { } start)
        {
            return null;
        }

        var end = action.Status == "InProgress" ? now : action.Updated ?? now;
        var span = end - start;
        return span < TimeSpan.Zero ? null
            : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m{span.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0}s");
    }

    private static string? JoinNonEmpty(params string?[] parts)
    {
        var kept = parts.Where(p => !string.IsNullOrEmpty(p)).ToList();
        return kept.Count == 0 ? null : string.Join("  ", kept);
    }

    private static string Marker(string? status) => status switch
    {
        "Succeeded" => "✔",
        "Failed" or "Stopped" or "Cancelled" => "✘",
        "InProgress" or "Stopping" => "▶",
        _ => "·",
    };

    private static string Status(string status, bool colour) => Style(status switch
    {
        "Succeeded" => Ansi.Green,
        "Failed" or "Abandoned" or "Stopped" or "Cancelled" => Ansi.Red,
        _ => Ansi.Yellow,
    }, colour, status);

    private static string Style(string style, bool colour, string text) => colour ? style + text + Ansi.Reset : text;
}
