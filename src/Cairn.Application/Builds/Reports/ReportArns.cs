using System.Text.RegularExpressions;
using Cairn.Core.Builds;

namespace Cairn.Application.Builds.Reports;

/// <summary>CodeBuild's report group and report ARNs: report-group/&lt;name&gt; and report/&lt;group&gt;:&lt;id&gt;.</summary>
public static partial class ReportArns
{
    public static string Group(BuildScope scope, string name) => $"arn:aws:codebuild:{scope.Region}:{scope.AccountId}:report-group/{name}";

    public static string Report(BuildScope scope, string groupName, string id) => $"arn:aws:codebuild:{scope.Region}:{scope.AccountId}:report/{groupName}:{id}";

    /// <summary>The group's scope and name, or null when <paramref name="arn"/> is not a report group ARN.</summary>
    public static (BuildScope Scope, string Name)? ParseGroup(string arn) =>
        GroupArn().Match(arn) is { Success: true } m ? (new BuildScope(m.Groups[2].Value, m.Groups[1].Value), m.Groups[3].Value) : null;

    /// <summary>The report's scope and group name, or null when <paramref name="arn"/> is not a report ARN.</summary>
    public static (BuildScope Scope, string GroupName)? ParseReport(string arn) =>
        ReportArn().Match(arn) is { Success: true } m ? (new BuildScope(m.Groups[2].Value, m.Groups[1].Value), m.Groups[3].Value) : null;

    public static bool IsValidName(string name) => GroupName().IsMatch(name);

    [GeneratedRegex(@"^arn:aws:codebuild:([a-z0-9-]+):(\d{12}):report-group/([A-Za-z0-9][A-Za-z0-9_-]{1,127})$")]
    private static partial Regex GroupArn();

    [GeneratedRegex(@"^arn:aws:codebuild:([a-z0-9-]+):(\d{12}):report/([A-Za-z0-9][A-Za-z0-9_-]{1,127}):([A-Za-z0-9-]+)$")]
    private static partial Regex ReportArn();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{1,127}$")]
    private static partial Regex GroupName();
}
