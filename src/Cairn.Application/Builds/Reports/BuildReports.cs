using Cairn.Core.Errors;
using Cairn.Storage.Reports;

namespace Cairn.Application.Builds.Reports;

/// <summary>A build's reports the caller may read, with their test cases, and the denials for the others.</summary>
public sealed record BuildReports(IReadOnlyList<ReportRecord> Reports, IReadOnlyList<AwsException> Denials);
