using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.Reports;

namespace Cairn.Application.Builds.Reports;

/// <summary>
/// CodeBuild's test reports as an application service: report groups and reports read and changed as the caller,
/// authorized as CodeBuild authorizes them (codebuild:&lt;Action&gt; on the report group's ARN; the listings on "*").
/// The CodeBuild API and the dashboard's build page call it; <see cref="BuildReportRecorder"/> writes a build's reports.
/// </summary>
public sealed class ReportService(IReportStore store, IAuthorizer authorizer, TimeProvider time)
{
    public const string NoExport = """{"exportConfigType":"NO_EXPORT"}""";

    public async Task<ReportGroupRecord> CreateReportGroupAsync(
        RequestContext context, string name, string type, string exportConfig, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = ScopeOf(context);
        var arn = ReportArns.Group(scope, name);
        await AuthorizeAsync(context, "CreateReportGroup", arn, cancellationToken);
        if (!ReportArns.IsValidName(name))
        {
            throw AwsErrors.InvalidReportGroupName(name);
        }

        var now = time.GetUtcNow();
        var group = new ReportGroupRecord(arn, name, scope.AccountId, scope.Region, type, exportConfig, now, now, tags);
        return await store.CreateReportGroupAsync(group, cancellationToken) ? group : throw AwsErrors.ReportGroupAlreadyExists(arn);
    }

    /// <summary>Changes the export config and/or replaces the tags (null leaves either as it is).</summary>
    public async Task<ReportGroupRecord> UpdateReportGroupAsync(
        RequestContext context, string arn, string? exportConfig, IReadOnlyList<KeyValuePair<string, string>>? tags, CancellationToken cancellationToken)
    {
        var scope = await AuthorizeGroupAsync(context, "UpdateReportGroup", arn, cancellationToken);
        var now = time.GetUtcNow();
        return scope != ScopeOf(context) ? throw AwsErrors.ReportGroupNotFound(arn) : await store.UpdateReportGroupAsync(arn, g => g with { ExportConfig = exportConfig ?? g.ExportConfig, Tags = tags ?? g.Tags, LastModified = now }, cancellationToken)
            ?? throw AwsErrors.ReportGroupNotFound(arn);
    }

    /// <summary>Deletes the group (and its reports with <paramref name="deleteReports"/>); a missing group is not an error, as on AWS.</summary>
    public async Task DeleteReportGroupAsync(RequestContext context, string arn, bool deleteReports, CancellationToken cancellationToken)
    {
        var scope = await AuthorizeGroupAsync(context, "DeleteReportGroup", arn, cancellationToken);
        if (scope == ScopeOf(context) && await store.DeleteReportGroupAsync(arn, deleteReports, cancellationToken) == ReportGroupDeletion.HasReports)
        {
            throw AwsErrors.ReportGroupHasReports(arn);
        }
    }

    /// <summary>The group (codebuild:BatchGetReportGroups on it), or null.</summary>
    public async Task<ReportGroupRecord?> FindReportGroupAsync(RequestContext context, string arn, CancellationToken cancellationToken)
    {
        var scope = await AuthorizeGroupAsync(context, "BatchGetReportGroups", arn, cancellationToken);
        return scope != ScopeOf(context) ? null : await store.GetReportGroupAsync(arn, cancellationToken);
    }

    /// <summary>The scope's report groups (codebuild:ListReportGroups).</summary>
    public async Task<IReadOnlyList<ReportGroupRecord>> ListReportGroupsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "ListReportGroups", "*", cancellationToken);
        var scope = ScopeOf(context);
        return await store.ListReportGroupsAsync(scope.AccountId, scope.Region, cancellationToken);
    }

    /// <summary>The scope's reports oldest first, without test cases (codebuild:ListReports).</summary>
    public async Task<IReadOnlyList<ReportRecord>> ListReportsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "ListReports", "*", cancellationToken);
        var scope = ScopeOf(context);
        return await store.ListReportsAsync(scope.AccountId, scope.Region, null, cancellationToken);
    }

    /// <summary>One group's reports oldest first (codebuild:ListReportsForReportGroup on it); a missing group is ResourceNotFoundException.</summary>
    public async Task<IReadOnlyList<ReportRecord>> ListReportsForReportGroupAsync(RequestContext context, string arn, CancellationToken cancellationToken)
    {
        var scope = await AuthorizeGroupAsync(context, "ListReportsForReportGroup", arn, cancellationToken);
        _ = (scope == ScopeOf(context) ? await store.GetReportGroupAsync(arn, cancellationToken) : null) ?? throw AwsErrors.ReportGroupNotFound(arn);
        return await store.ListReportsAsync(scope.AccountId, scope.Region, arn, cancellationToken);
    }

    /// <summary>The report with its test cases, read as <paramref name="action"/> (BatchGetReports or DescribeTestCases) on its group; null when missing.</summary>
    public async Task<ReportRecord?> FindReportAsync(RequestContext context, string arn, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (scope, groupName) = ReportArns.ParseReport(arn) ?? throw AwsErrors.InvalidReportArn(arn);
        await AuthorizeAsync(context, action, ReportArns.Group(scope, groupName), cancellationToken);
        return scope == ScopeOf(context) ? await store.GetReportAsync(arn, cancellationToken) : null;
    }

    /// <summary>Deletes a report (codebuild:DeleteReport on its group); a missing one is not an error, as on AWS.</summary>
    public async Task DeleteReportAsync(RequestContext context, string arn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (scope, groupName) = ReportArns.ParseReport(arn) ?? throw AwsErrors.InvalidReportArn(arn);
        await AuthorizeAsync(context, "DeleteReport", ReportArns.Group(scope, groupName), cancellationToken);
        if (scope == ScopeOf(context))
        {
            await store.DeleteReportAsync(arn, cancellationToken);
        }
    }

    /// <summary>The group's last <paramref name="count"/> reports, newest first (codebuild:GetReportGroupTrend), with the group's type.</summary>
    public async Task<(ReportGroupRecord Group, IReadOnlyList<ReportRecord> Reports)> TrendAsync(
        RequestContext context, string arn, int count, CancellationToken cancellationToken)
    {
        var scope = await AuthorizeGroupAsync(context, "GetReportGroupTrend", arn, cancellationToken);
        var group = (scope == ScopeOf(context) ? await store.GetReportGroupAsync(arn, cancellationToken) : null) ?? throw AwsErrors.ReportGroupNotFound(arn);
        var reports = await store.ListReportsAsync(scope.AccountId, scope.Region, arn, cancellationToken);
        return (group, reports.Reverse().Take(count).ToList());
    }

    /// <summary>
    /// The reports a build produced, each with its test cases when the caller may read it (codebuild:BatchGetReports
    /// and codebuild:DescribeTestCases on its group); the others are named in the denials. The build page's read.
    /// </summary>
    public async Task<BuildReports> ReportsOfBuildAsync(RequestContext context, BuildRecord build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(build);
        var readable = new List<ReportRecord>();
        var denials = new List<AwsException>();
        foreach (var report in await store.ListReportsForBuildAsync(build.Arn, cancellationToken))
        {
            try
            {
                await AuthorizeAsync(context, "BatchGetReports", report.ReportGroupArn, cancellationToken);
                await AuthorizeAsync(context, "DescribeTestCases", report.ReportGroupArn, cancellationToken);
                readable.Add(report);
            }
            catch (AwsException denied) when (denied.IsAccessDenied)
            {
                denials.Add(denied);
            }
        }

        return new BuildReports(readable, denials);
    }

    /// <summary>
    /// The ARNs of the reports a build produced, for BatchGetBuilds' reportArns: the caller has already read the build
    /// (codebuild:BatchGetBuilds); the reports themselves are authorized when read.
    /// </summary>
    public Task<IReadOnlyList<string>> ReportArnsOfBuildAsync(BuildRecord build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        return store.ListReportArnsForBuildAsync(build.Arn, cancellationToken);
    }

    private async Task<BuildScope> AuthorizeGroupAsync(RequestContext context, string action, string arn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (scope, _) = ReportArns.ParseGroup(arn) ?? throw AwsErrors.InvalidReportGroupArn(arn);
        await AuthorizeAsync(context, action, arn, cancellationToken);
        return scope;
    }

    private ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, "codebuild:" + action, resourceArn, cancellationToken);

    private static BuildScope ScopeOf(RequestContext context) => new(context.AccountId, context.Region);
}
