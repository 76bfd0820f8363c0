namespace Cairn.Storage.Parameters;

public sealed record UnlabelOutcome(LabelStatus Status, IReadOnlyList<string> RemovedLabels, IReadOnlyList<string> InvalidLabels);
