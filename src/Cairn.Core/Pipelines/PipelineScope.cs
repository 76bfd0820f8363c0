namespace Cairn.Core.Pipelines;

/// <summary>Where pipelines live: one account in one region.</summary>
public sealed record PipelineScope(string AccountId, string Region)
{
    public string PipelineArn(string pipelineName) => $"arn:aws:codepipeline:{Region}:{AccountId}:{pipelineName}";

    /// <summary>The pipeline name an ARN names in this scope, or null when it is not a pipeline ARN of this account and region.</summary>
    public string? PipelineName(string arn)
    {
        var prefix = PipelineArn(string.Empty);
        if (!arn.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var name = arn[prefix.Length..];
        return name.Length > 0 && !name.Contains(':', StringComparison.Ordinal) && !name.Contains('/', StringComparison.Ordinal) ? name : null;
    }
}
