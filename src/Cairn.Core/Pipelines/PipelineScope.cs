namespace Cairn.Core.Pipelines;

/// <summary>Where pipelines live: one account in one region.</summary>
public sealed record PipelineScope(string AccountId, string Region)
{
    public string PipelineArn(string pipelineName) => $"arn:aws:codepipeline:{Region}:{AccountId}:{pipelineName}";
}
