namespace Cairn.Storage.Reports;

/// <summary>
/// Where CodeBuild keeps report groups and their reports (test cases with them), per account and region. Contract:
/// ReportStoreContractTests.
/// </summary>
public interface IReportStore
{
    /// <summary>Stores a new report group; false when its ARN is taken.</summary>
    Task<bool> CreateReportGroupAsync(ReportGroupRecord group, CancellationToken cancellationToken);

    Task<ReportGroupRecord?> GetReportGroupAsync(string arn, CancellationToken cancellationToken);

    /// <summary>Every report group of the account and region (the caller sorts and pages).</summary>
    Task<IReadOnlyList<ReportGroupRecord>> ListReportGroupsAsync(string accountId, string region, CancellationToken cancellationToken);

    /// <summary>Replaces the group with what <paramref name="change"/> makes of it, in one transaction; null when there is no such group.</summary>
    Task<ReportGroupRecord?> UpdateReportGroupAsync(string arn, Func<ReportGroupRecord, ReportGroupRecord> change, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the group, and its reports when <paramref name="deleteReports"/>; without it a group that has reports is
    /// left as it is. Checked and deleted in one transaction.
    /// </summary>
    Task<ReportGroupDeletion> DeleteReportGroupAsync(string arn, bool deleteReports, CancellationToken cancellationToken);

    /// <summary>Stores a report of an existing group; false when the group is gone or the ARN is taken.</summary>
    Task<bool> AddReportAsync(ReportRecord report, CancellationToken cancellationToken);

    Task<ReportRecord?> GetReportAsync(string arn, CancellationToken cancellationToken);

    /// <summary>The reports of the account and region, or of one group, oldest first, without their test cases.</summary>
    Task<IReadOnlyList<ReportRecord>> ListReportsAsync(string accountId, string region, string? reportGroupArn, CancellationToken cancellationToken);

    /// <summary>The reports a build produced (by its ARN), in the order they were added, with their test cases.</summary>
    Task<IReadOnlyList<ReportRecord>> ListReportsForBuildAsync(string buildArn, CancellationToken cancellationToken);

    /// <summary>The ARNs of the reports a build produced (by its ARN), in the order they were added: BatchGetBuilds' reportArns.</summary>
    Task<IReadOnlyList<string>> ListReportArnsForBuildAsync(string buildArn, CancellationToken cancellationToken);

    Task<bool> DeleteReportAsync(string arn, CancellationToken cancellationToken);
}

/// <summary>What DeleteReportGroupAsync did.</summary>
public enum ReportGroupDeletion
{
    Deleted,
    NotFound,
    HasReports,
}
