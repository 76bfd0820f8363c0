using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Cli.Secrets;

/// <summary>
/// `cairn secrets report`'s output from the server's GetSecretsReport answer: a table for people, the answer itself as
/// JSON for scripts, or SARIF 2.1.0 for code-scanning UIs (tool.driver.rules, results with ruleId, level, message and,
/// for buildspec findings, a physical location). The answer never holds a secret value, so neither does any output.
/// </summary>
internal static class ReportRenderer
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Json(JsonObject report) => report.ToJsonString(Indented);

    public static string Table(JsonObject report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var findings = Findings(report);
        var text = new StringBuilder();
        text.AppendLine($"Secrets report for account {(string?)report["AccountId"]} in {(string?)report["Region"]}: "
            + $"{(int?)report["ParametersScanned"]} parameters, {(int?)report["ProjectsScanned"]} projects, {Plural(findings.Count, "finding")}.");
        if (findings.Count == 0)
        {
            return text.ToString();
        }

        var severityWidth = findings.Max(f => ((string?)f["Severity"])!.Length);
        var ruleWidth = findings.Max(f => ((string?)f["RuleId"])!.Length);
        foreach (var finding in findings)
        {
            text.AppendLine();
            text.Append(((string?)finding["Severity"])!.ToUpperInvariant().PadRight(severityWidth)).Append("  ")
                .Append(((string?)finding["RuleId"])!.PadRight(ruleWidth)).Append("  ")
                .AppendLine((string?)finding["Subject"]);
            text.Append("  ").AppendLine((string?)finding["Message"]);
            text.Append("  evidence: ").AppendLine((string?)finding["Evidence"]);
            if ((string?)finding["File"] is { } file)
            {
                text.Append("  at: ").Append(file).Append(':').AppendLine(((int?)finding["Line"])?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            foreach (var command in finding["Fix"]!.AsArray())
            {
                text.Append("  fix: ").AppendLine((string?)command);
            }

            if ((string?)finding["Note"] is { } note)
            {
                text.Append("  note: ").AppendLine(note);
            }
        }

        return text.ToString();
    }

    public static string Sarif(JsonObject report, string version)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rules = report["Rules"]!.AsArray().OfType<JsonObject>().ToList();
        var ruleIndex = rules.Select((r, i) => (Id: (string?)r["Id"] ?? string.Empty, Index: i)).ToDictionary(p => p.Id, p => p.Index, StringComparer.Ordinal);
        var results = new JsonArray();
        foreach (var finding in Findings(report))
        {
            var ruleId = (string?)finding["RuleId"] ?? string.Empty;
            var fixes = string.Join("\n", finding["Fix"]!.AsArray().Select(c => (string?)c));
            var result = new JsonObject
            {
                ["ruleId"] = ruleId,
                ["ruleIndex"] = ruleIndex.GetValueOrDefault(ruleId),
                ["level"] = (string?)finding["Severity"],
                ["message"] = new JsonObject
                {
                    ["text"] = $"{(string?)finding["Message"]} Evidence: {(string?)finding["Evidence"]}. Fix: {fixes}"
                        + ((string?)finding["Note"] is { } note ? $" Note: {note}" : string.Empty),
                },
                ["partialFingerprints"] = new JsonObject { ["cairnSubject/v1"] = $"{ruleId}:{(string?)finding["Subject"]}" },
                ["properties"] = new JsonObject
                {
                    ["subject"] = (string?)finding["Subject"],
                    ["fix"] = finding["Fix"]!.DeepClone(),
                },
            };
            if ((string?)finding["File"] is { } file)
            {
                result["locations"] = new JsonArray(new JsonObject
                {
                    ["physicalLocation"] = new JsonObject
                    {
                        ["artifactLocation"] = new JsonObject { ["uri"] = file },
                        ["region"] = new JsonObject { ["startLine"] = (int?)finding["Line"] ?? 1 },
                    },
                });
            }
            else
            {
                result["locations"] = new JsonArray(new JsonObject
                {
                    ["logicalLocations"] = new JsonArray(new JsonObject { ["name"] = (string?)finding["Subject"], ["kind"] = "resource" }),
                });
            }

            results.Add(result);
        }

        var sarif = new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = "cairn-secrets",
                        ["informationUri"] = "https://github.com/cairn/cairn/blob/main/docs/secrets-hygiene.md",
                        ["version"] = version,
                        ["rules"] = new JsonArray([.. rules.Select(r => (JsonNode)new JsonObject
                        {
                            ["id"] = (string?)r["Id"],
                            ["name"] = Pascal((string?)r["Id"] ?? "rule"),
                            ["shortDescription"] = new JsonObject { ["text"] = (string?)r["Name"] },
                            ["fullDescription"] = new JsonObject { ["text"] = (string?)r["Description"] },
                            ["helpUri"] = $"https://github.com/cairn/cairn/blob/main/docs/secrets-hygiene.md#{(string?)r["Id"]}",
                        })]),
                    },
                },
                ["results"] = results,
            }),
        };
        return sarif.ToJsonString(Indented);
    }

    /// <summary>Whether a finding is at least as severe as <paramref name="threshold"/> (error, warning, note).</summary>
    public static bool Reaches(JsonObject report, string threshold) =>
        Findings(report).Any(f => Rank((string?)f["Severity"]) <= Rank(threshold));

    private static int Rank(string? severity) => severity switch { "error" => 0, "warning" => 1, _ => 2 };

    private static List<JsonObject> Findings(JsonObject report) => report["Findings"]?.AsArray().OfType<JsonObject>().ToList() ?? [];

    private static string Pascal(string id) => string.Concat(id.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
