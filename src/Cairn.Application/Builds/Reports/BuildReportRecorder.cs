using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Runner.Builds;
using Cairn.Runner.Reports;
using Cairn.Storage.Reports;

namespace Cairn.Application.Builds.Reports;

/// <summary>
/// Stores a finished build's report summaries as reports, at the end of UPLOAD_ARTIFACTS as CodeBuild does: a group named in
/// the buildspec is <c>&lt;project&gt;-&lt;name&gt;</c>, created on first use; a group given by ARN must exist. As on AWS
/// the build's service role must allow what CodeBuild does with the group (<see cref="ActionsFor"/>); a report it may not
/// store is left out. It never fails the build: what goes wrong is said in the build log (docs/dev/codebuild.md).
/// </summary>
public sealed class BuildReportRecorder(IReportStore store, IAuthorizer authorizer, TimeProvider time)
{
    /// <summary>How long AWS keeps a report (its expired time).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>
    /// What the service role needs on the report group to store a report (AWS's "Test report permissions"):
    /// codebuild:CreateReportGroup when the group is created, CreateReport and UpdateReport, and BatchPutTestCases for a
    /// test report or BatchPutCodeCoverages for a coverage report.
    /// </summary>
    public static IReadOnlyList<string> ActionsFor(string reportType, bool createsGroup)
    {
        var put = reportType == "CODE_COVERAGE" ? "codebuild:BatchPutCodeCoverages" : "codebuild:BatchPutTestCases";
        return createsGroup
            ? ["codebuild:CreateReportGroup", "codebuild:CreateReport", "codebuild:UpdateReport", put]
            : ["codebuild:CreateReport", "codebuild:UpdateReport", put];
    }

    /// <param name="role">The build's service role: every report is authorized as it.</param>
    public async Task RecordAsync(BuildRecord build, RequestContext role, IReadOnlyList<ReportSummary> summaries, Action<string> say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(summaries);
        ArgumentNullException.ThrowIfNull(say);
        foreach (var summary in summaries)
        {
            try
            {
                await RecordOneAsync(build, role, summary, say, cancellationToken);
            }
            catch (Exception error) when (error is IOException or InvalidOperationException or System.Text.Json.JsonException)
            {
                say($"[WARN] Report group {summary.Group}: the report could not be stored ({error.Message})");
            }
        }
    }

    private async Task RecordOneAsync(BuildRecord build, RequestContext role, ReportSummary summary, Action<string> say, CancellationToken cancellationToken)
    {
        var type = summary.IsCoverage || ReportSummarizer.CoverageFormats.Contains(summary.FileFormat) ? "CODE_COVERAGE" : "TEST";
        ReportGroupRecord group;
        if (summary.Group.StartsWith("arn:", StringComparison.Ordinal))
        {
            if (ReportArns.ParseGroup(summary.Group) is not { } parsed || parsed.Scope != build.Scope
                || await store.GetReportGroupAsync(summary.Group, cancellationToken) is not { } existing)
            {
                say($"[WARN] Report group {summary.Group} does not exist in account {build.Scope.AccountId}, region {build.Scope.Region}; "
                    + "create it with aws codebuild create-report-group, or name the group in the buildspec to have it created as <project>-<name>.");
                return;
            }

            if (!await MayStoreAsync(role, existing.Arn, type, false, say, cancellationToken))
            {
                return;
            }

            group = existing;
        }
        else
        {
            var name = $"{build.ProjectName}-{summary.Group}";
            if (!ReportArns.IsValidName(name))
            {
                say($"[WARN] Report group {summary.Group}: {name} is not a valid report group name; use letters, digits, '-' and '_' (2 to 128).");
                return;
            }

            var arn = ReportArns.Group(build.Scope, name);
            var now = time.GetUtcNow();
            var existing = await store.GetReportGroupAsync(arn, cancellationToken);
            if (!await MayStoreAsync(role, arn, type, existing is null, say, cancellationToken))
            {
                return;
            }

            group = existing ?? new ReportGroupRecord(arn, name, build.Scope.AccountId, build.Scope.Region, type, ReportService.NoExport, now, now, []);
            if (await store.CreateReportGroupAsync(group, cancellationToken))
            {
                say($"Created report group {arn}");
            }
        }

        if (group.Type != type)
        {
            say($"[WARN] Report group {group.Arn} is a {group.Type} group; a {summary.FileFormat} report is {type}. Name another group for it in the buildspec.");
            return;
        }

        var report = ToRecord(build, group, summary);
        if (!await store.AddReportAsync(report, cancellationToken))
        {
            say($"[WARN] Report group {group.Arn} was deleted while the build ran; the report was not kept.");
            return;
        }

        say(report.Status == TestCaseStatuses.ReportIncomplete
            ? $"Report {report.Arn}: INCOMPLETE: {report.Message}"
            : $"Report {report.Arn}: {report.Status}");
    }

    /// <summary>
    /// Whether the role may store a report of <paramref name="type"/> in the group; when not, one log line names the
    /// actions it lacks, the group, and the statement (with the command) that grants them.
    /// </summary>
    private async Task<bool> MayStoreAsync(RequestContext role, string groupArn, string type, bool createsGroup, Action<string> say, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        AwsException? first = null;
        foreach (var action in ActionsFor(type, createsGroup))
        {
            try
            {
                await authorizer.AuthorizeAsync(role, action, groupArn, cancellationToken);
            }
            catch (AwsException denied) when (denied.IsAccessDenied)
            {
                missing.Add(action);
                first ??= denied;
            }
        }

        if (first is null)
        {
            return true;
        }

        var denial = AccessDenial.Parse(first.Message);
        var principal = denial.PrincipalArn ?? role.Principal.Arn;
        var text = new System.Text.StringBuilder($"[WARN] Report group {groupArn}: the report was not stored: {first.Message}");
        if (PermissionFix.IsBoundaryDenial(denial))
        {
            text.Append($"\nThe service role's permissions boundary must allow {string.Join(", ", missing)} on {groupArn}.");
        }
        else
        {
            var grant = PermissionFix.Grant(principal, missing, groupArn, "cairn-build-reports");
            text.Append($"\nThe service role needs {string.Join(", ", missing)} on {groupArn}: add\n{grant.Statement}");
            text.Append(grant.Command is { } command ? $"\nwith: {command}" : string.Empty);
        }

        say(text.ToString());
        return false;
    }

    private ReportRecord ToRecord(BuildRecord build, ReportGroupRecord group, ReportSummary summary)
    {
        var id = Guid.NewGuid().ToString();
        var arn = ReportArns.Report(build.Scope, group.Name, id);
        var coverage = summary.LineCoverage is { } percent ? new ReportCoverage(percent, summary.LinesCovered, summary.LinesMissed) : null;
        var cases = summary.Cases.Select(c => new TestCaseRecord(c.Name, c.Prefix, c.Status, c.DurationInNanoSeconds, c.Message, c.TestSuiteName, c.File)).ToList();
        return new ReportRecord(
            arn, group.Arn, group.Name, group.Type, build.Arn, coverage is not null && summary.Problems.Count == 0 ? TestCaseStatuses.Succeeded : summary.Status,
            time.GetUtcNow(), summary.DurationInNanoSeconds, coverage is null ? summary.StatusCounts : new Dictionary<string, int>(),
            summary.Total, summary.Problems.Count == 0 ? null : string.Join("; ", summary.Problems), coverage, cases);
    }
}
