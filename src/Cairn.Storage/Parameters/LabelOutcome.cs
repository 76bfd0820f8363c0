namespace Cairn.Storage.Parameters;

public enum LabelStatus
{
    Done,
    ParameterNotFound,
    VersionNotFound,
}

/// <param name="Version">The version labelled (the latest when the request named none).</param>
public sealed record LabelOutcome(LabelStatus Status, long Version, IReadOnlyList<string> InvalidLabels);
