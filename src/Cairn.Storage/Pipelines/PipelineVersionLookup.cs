using Cairn.Core.Pipelines;

namespace Cairn.Storage.Pipelines;

/// <summary>A pipeline looked up at a version: the record when the version exists, and the latest version's number either way.</summary>
public sealed record PipelineVersionLookup(PipelineRecord? Pipeline, int Latest);
