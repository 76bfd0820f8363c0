using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Application.Builds.Reports;
using Cairn.Storage.Reports;

namespace Cairn.Server.Services.CodeBuild;

/// <summary>Report groups, reports and test cases in CodeBuild's JSON shapes (ReportGroup, Report, TestCase).</summary>
internal static class ReportJson
{
    public static JsonObject Group(ReportGroupRecord group) => new()
    {
        ["arn"] = group.Arn,
        ["name"] = group.Name,
        ["type"] = group.Type,
        ["exportConfig"] = JsonNode.Parse(group.ExportConfig),
        ["created"] = CodeBuildJson.Seconds(group.Created),
        ["lastModified"] = CodeBuildJson.Seconds(group.LastModified),
        ["tags"] = new JsonArray(group.Tags.Select(t => (JsonNode)new JsonObject { ["key"] = t.Key, ["value"] = t.Value }).ToArray()),
        ["status"] = "ACTIVE",
    };

    public static JsonObject Report(ReportRecord report)
    {
        var json = new JsonObject
        {
            ["arn"] = report.Arn,
            ["type"] = report.Type,
            ["name"] = report.Name,
            ["reportGroupArn"] = report.ReportGroupArn,
            ["executionId"] = report.ExecutionId,
            ["status"] = report.Status,
            ["created"] = CodeBuildJson.Seconds(report.Created),
            ["expired"] = CodeBuildJson.Seconds(report.Created + BuildReportRecorder.Retention),
            ["exportConfig"] = JsonNode.Parse(ReportService.NoExport),
            ["truncated"] = false,
        };
        if (report.Coverage is { } coverage)
        {
            json["codeCoverageSummary"] = new JsonObject
            {
                ["lineCoveragePercentage"] = coverage.LineCoveragePercentage,
                ["linesCovered"] = coverage.LinesCovered,
                ["linesMissed"] = coverage.LinesMissed,
            };
        }
        else
        {
            var counts = new JsonObject();
            foreach (var (status, count) in report.StatusCounts.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                counts[status] = count;
            }

            json["testSummary"] = new JsonObject
            {
                ["total"] = report.Total,
                ["statusCounts"] = counts,
                ["durationInNanoSeconds"] = report.DurationInNanoSeconds,
            };
        }

        return json;
    }

    public static JsonObject TestCase(ReportRecord report, TestCaseRecord test)
    {
        var json = new JsonObject
        {
            ["reportArn"] = report.Arn,
            ["prefix"] = test.Prefix,
            ["name"] = test.Name,
            ["status"] = test.Status,
            ["durationInNanoSeconds"] = test.DurationInNanoSeconds,
            ["expired"] = CodeBuildJson.Seconds(report.Created + BuildReportRecorder.Retention),
        };
        if (test.TestRawDataPath is { } path)
        {
            json["testRawDataPath"] = path;
        }

        if (test.Message is { } message)
        {
            json["message"] = message;
        }

        if (test.TestSuiteName is { } suite)
        {
            json["testSuiteName"] = suite;
        }

        return json;
    }

    /// <summary>A trend value as CodeBuild writes it: a string, integers without a fraction.</summary>
    public static string Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? ((long)value).ToString(CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}
