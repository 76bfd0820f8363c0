using System.Text.Json.Nodes;
using Cairn.Application.Builds.Reports;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Runner.Reports;
using Cairn.Storage.Reports;

namespace Cairn.Server.Services.CodeBuild;

/// <summary>Report groups, reports and test cases: adapters over <see cref="ReportService"/>.</summary>
internal sealed partial class CodeBuildService
{
    private async Task<JsonObject> CreateReportGroupAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.CreateReportGroup);
        var group = await reports.CreateReportGroupAsync(
            context, input["name"]!.GetValue<string>(), input["type"]!.GetValue<string>(), ExportConfig(input["exportConfig"]!), Tags(input) ?? [], cancellationToken);
        return new JsonObject { ["reportGroup"] = ReportJson.Group(group) };
    }

    private async Task<JsonObject> UpdateReportGroupAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.UpdateReportGroup);
        var group = await reports.UpdateReportGroupAsync(
            context, input["arn"]!.GetValue<string>(), input["exportConfig"] is { } export ? ExportConfig(export) : null, Tags(input), cancellationToken);
        return new JsonObject { ["reportGroup"] = ReportJson.Group(group) };
    }

    private async Task<JsonObject> DeleteReportGroupAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.DeleteReportGroup);
        await reports.DeleteReportGroupAsync(context, input["arn"]!.GetValue<string>(), input["deleteReports"]?.GetValue<bool>() ?? false, cancellationToken);
        return [];
    }

    private async Task<JsonObject> BatchGetReportGroupsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.BatchGetReportGroups);
        var found = new JsonArray();
        var notFound = new JsonArray();
        foreach (var arn in input["reportGroupArns"]!.AsArray().Select(n => n!.GetValue<string>()).Distinct(StringComparer.Ordinal))
        {
            if (await reports.FindReportGroupAsync(context, arn, cancellationToken) is { } group)
            {
                found.Add(ReportJson.Group(group));
            }
            else
            {
                notFound.Add(arn);
            }
        }

        return new JsonObject { ["reportGroups"] = found, ["reportGroupsNotFound"] = notFound };
    }

    private async Task<JsonObject> ListReportGroupsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.ListReportGroups);
        var groups = await reports.ListReportGroupsAsync(context, cancellationToken);
        IEnumerable<ReportGroupRecord> sorted = Text(input, "sortBy") switch
        {
            "NAME" => groups.OrderBy(g => g.Name, StringComparer.Ordinal),
            "LAST_MODIFIED_TIME" => groups.OrderBy(g => g.LastModified).ThenBy(g => g.Name, StringComparer.Ordinal),
            _ => groups.OrderBy(g => g.Created).ThenBy(g => g.Name, StringComparer.Ordinal),
        };
        if (Text(input, "sortOrder") == "DESCENDING")
        {
            sorted = sorted.Reverse();
        }

        return Page(sorted.Select(g => g.Arn).ToList(), input, "reportGroups");
    }

    private async Task<JsonObject> ListReportsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.ListReports);
        return ReportPage(await reports.ListReportsAsync(context, cancellationToken), input);
    }

    private async Task<JsonObject> ListReportsForReportGroupAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.ListReportsForReportGroup);
        return ReportPage(await reports.ListReportsForReportGroupAsync(context, input["reportGroupArn"]!.GetValue<string>(), cancellationToken), input);
    }

    private async Task<JsonObject> BatchGetReportsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.BatchGetReports);
        var found = new JsonArray();
        var notFound = new JsonArray();
        foreach (var arn in input["reportArns"]!.AsArray().Select(n => n!.GetValue<string>()).Distinct(StringComparer.Ordinal))
        {
            if (await reports.FindReportAsync(context, arn, "BatchGetReports", cancellationToken) is { } report)
            {
                found.Add(ReportJson.Report(report));
            }
            else
            {
                notFound.Add(arn);
            }
        }

        return new JsonObject { ["reports"] = found, ["reportsNotFound"] = notFound };
    }

    private async Task<JsonObject> DescribeTestCasesAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.DescribeTestCases);
        var arn = input["reportArn"]!.GetValue<string>();
        var status = input["filter"]?["status"]?.GetValue<string>();
        if (status is not null && !TestCaseStatuses.All.Contains(status))
        {
            throw AwsErrors.InvalidTestCaseStatus(status);
        }

        var keyword = input["filter"]?["keyword"]?.GetValue<string>();
        var report = await reports.FindReportAsync(context, arn, "DescribeTestCases", cancellationToken) ?? throw AwsErrors.ReportNotFound(arn);
        var cases = report.TestCases
            .Where(c => status is null || c.Status == status)
            .Where(c => string.IsNullOrEmpty(keyword) || c.Name.Contains(keyword, StringComparison.OrdinalIgnoreCase) || c.Prefix.Contains(keyword, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var (start, count) = PageOf(input, cases.Count);
        var result = new JsonObject { ["testCases"] = new JsonArray(cases.Skip(start).Take(count).Select(c => (JsonNode)ReportJson.TestCase(report, c)).ToArray()) };
        if (start + count < cases.Count)
        {
            result["nextToken"] = EncodeToken(start + count);
        }

        return result;
    }

    private async Task<JsonObject> DeleteReportAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.DeleteReport);
        await reports.DeleteReportAsync(context, input["arn"]!.GetValue<string>(), cancellationToken);
        return [];
    }

    private async Task<JsonObject> GetReportGroupTrendAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.GetReportGroupTrend);
        var field = input["trendField"]!.GetValue<string>();
        var (group, recent) = await reports.TrendAsync(
            context, input["reportGroupArn"]!.GetValue<string>(), input["numOfReports"]?.GetValue<int>() ?? 100, cancellationToken);
        // Cairn reads no branch counts: BRANCH_ fields of a coverage group have no data, as on AWS for formats without them.
        if ((field is "PASS_RATE" or "DURATION" or "TOTAL") != (group.Type == "TEST"))
        {
            throw AwsErrors.TrendFieldNotOfType(field, group.Type);
        }

        var values = new List<(string Arn, double Value)>();
        foreach (var report in recent)
        {
            double? value = field switch
            {
                "PASS_RATE" => report.Total == 0 ? 0 : Math.Round(100.0 * report.StatusCounts.GetValueOrDefault(TestCaseStatuses.Succeeded) / report.Total, 2),
                "DURATION" => report.DurationInNanoSeconds,
                "TOTAL" => report.Total,
                "LINE_COVERAGE" => report.Coverage?.LineCoveragePercentage,
                "LINES_COVERED" => report.Coverage?.LinesCovered,
                "LINES_MISSED" => report.Coverage?.LinesMissed,
                _ => null,
            };
            if (value is { } v)
            {
                values.Add((report.Arn, v));
            }
        }

        var result = new JsonObject
        {
            ["rawData"] = new JsonArray(values.Select(v => (JsonNode)new JsonObject { ["reportArn"] = v.Arn, ["data"] = ReportJson.Number(v.Value) }).ToArray()),
        };
        result["stats"] = values.Count == 0 ? new JsonObject() : new JsonObject
        {
            ["average"] = ReportJson.Number(Math.Round(values.Average(v => v.Value), 2)),
            ["max"] = ReportJson.Number(values.Max(v => v.Value)),
            ["min"] = ReportJson.Number(values.Min(v => v.Value)),
        };
        return result;
    }

    /// <summary>Reports filtered by status, newest first unless sortOrder is ASCENDING, paged.</summary>
    private static JsonObject ReportPage(IReadOnlyList<ReportRecord> all, JsonObject input)
    {
        var status = input["filter"]?["status"]?.GetValue<string>();
        IEnumerable<ReportRecord> filtered = all.Where(r => status is null || r.Status == status);
        if (Text(input, "sortOrder") != "ASCENDING")
        {
            filtered = filtered.Reverse();
        }

        return Page(filtered.Select(r => r.Arn).ToList(), input, "reports");
    }

    private static JsonObject Page(IReadOnlyList<string> arns, JsonObject input, string member)
    {
        var (start, count) = PageOf(input, arns.Count);
        var result = new JsonObject { [member] = new JsonArray(arns.Skip(start).Take(count).Select(a => (JsonNode)a).ToArray()) };
        if (start + count < arns.Count)
        {
            result["nextToken"] = EncodeToken(start + count);
        }

        return result;
    }

    private static (int Start, int Count) PageOf(JsonObject input, int total)
    {
        var start = DecodeToken(Text(input, "nextToken")) ?? 0;
        if (start > total)
        {
            throw AwsErrors.InvalidNextTokenInput();
        }

        return ((int)start, input["maxResults"]?.GetValue<int>() ?? PageSize);
    }

    /// <summary>The exportConfig kept as given; Cairn exports nowhere, so an S3 destination is stored but not written.</summary>
    private static string ExportConfig(JsonNode exportConfig) => exportConfig.ToJsonString();

    private static List<KeyValuePair<string, string>>? Tags(JsonObject input) =>
        input["tags"] is JsonArray tags
            ? tags.Select(t => new KeyValuePair<string, string>(t!["key"]?.GetValue<string>() ?? string.Empty, t["value"]?.GetValue<string>() ?? string.Empty)).ToList()
            : null;
}
