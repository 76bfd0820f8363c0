namespace Cairn.Core.Pipelines;

/// <summary>A tag on a pipeline (CodePipeline's Tag: key and value).</summary>
public sealed record PipelineTag(string Key, string Value);
