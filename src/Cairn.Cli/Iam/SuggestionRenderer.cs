using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Cairn.Cli.Iam;

/// <summary>`cairn iam suggest-policy`'s table: what was used, the suggested policy beside the current ones, the commands, the dry-run.</summary>
internal static class SuggestionRenderer
{
    public static string Table(JsonObject answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var text = new StringBuilder();
        var since = DateTimeOffset.FromUnixTimeMilliseconds((long)((double?)answer["Since"] * 1000 ?? 0));
        var used = Objects(answer["Used"]);
        text.AppendLine(CultureInfo.InvariantCulture, $"{(string?)answer["PrincipalArn"]}: {(int?)answer["AuditEntries"]} allowed calls since {since:yyyy-MM-dd HH:mm}Z, {used.Count} distinct action/resource pairs.");
        if (used.Count == 0)
        {
            text.AppendLine("Nothing was used in the window: no policy to suggest. Widen --since, or run what the principal is for first.");
        }

        foreach (var call in used)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  used {(string?)call["Action"]} on {(string?)call["Resource"]} ({(int?)call["Count"]}x)");
        }

        text.AppendLine();
        text.AppendLine("Policies now:");
        foreach (var policy in Objects(answer["CurrentPolicies"]))
        {
            var actions = Strings(policy["Actions"]);
            var resources = Strings(policy["Resources"]);
            var allowed = Objects(policy["Allowed"]);
            var usedText = allowed.Count == 0
                ? "used: nothing"
                : "used: " + string.Join("; ", allowed.GroupBy(c => (string?)c["Action"]).Select(g => $"{g.Key} on {Plural(g.Count(), "ARN")}"));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {(string?)policy["PolicyName"]} ({(string?)policy["SourceType"]}): {Plural(actions.Count, "action pattern")} ({Short(actions)}) on {Short(resources)}; {usedText}");
        }

        if ((string?)answer["PolicyDocument"] is { } document)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Suggested policy {(string?)answer["PolicyName"]}:");
            text.AppendLine(document);
            text.AppendLine();
            text.AppendLine("Attach it in place of the current ones (add --endpoint-url to each for Cairn):");
            foreach (var command in Strings(answer["Commands"]))
            {
                text.AppendLine("  " + command);
            }

            var checks = Objects(answer["Checks"]);
            var denied = checks.Where(c => (string?)c["Decision"] != "allowed").ToList();
            text.AppendLine();
            text.AppendLine(denied.Count == 0
                ? $"Dry-run: all {checks.Count} audited action/resource pairs are allowed under the suggested policy."
                : $"Dry-run: {denied.Count} of {checks.Count} audited action/resource pairs would NOT be allowed:");
            foreach (var check in denied)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {(string?)check["Decision"]}: {(string?)check["Action"]} on {(string?)check["Resource"]}");
            }
        }

        return text.ToString();
    }

    private static List<JsonObject> Objects(JsonNode? node) => node is JsonArray list ? [.. list.OfType<JsonObject>()] : [];

    private static List<string> Strings(JsonNode? node) => node is JsonArray list ? [.. list.Select(v => (string?)v).OfType<string>()] : [];

    private static string Short(List<string> values) => values.Count <= 4 ? string.Join(", ", values) : string.Join(", ", values.Take(4)) + ", ...";

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
