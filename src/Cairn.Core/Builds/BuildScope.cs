namespace Cairn.Core.Builds;

/// <summary>Where projects and builds live: CodeBuild resources are per account and region.</summary>
public sealed record BuildScope(string AccountId, string Region)
{
    public string ProjectArn(string projectName) => $"arn:aws:codebuild:{Region}:{AccountId}:project/{projectName}";

    public string BuildArn(string buildId) => $"arn:aws:codebuild:{Region}:{AccountId}:build/{buildId}";

    /// <summary>The CloudWatch Logs group a project's builds log to.</summary>
    public static string LogGroupName(string projectName) => "/aws/codebuild/" + projectName;

    public string LogGroupArn(string groupName) => $"arn:aws:logs:{Region}:{AccountId}:log-group:{groupName}";

    public string LogStreamArn(string groupName, string streamName) => $"{LogGroupArn(groupName)}:log-stream:{streamName}";
}
