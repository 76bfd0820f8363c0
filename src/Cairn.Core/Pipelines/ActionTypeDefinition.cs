namespace Cairn.Core.Pipelines;

/// <summary>
/// An action type AWS offers (category, owner, provider, version), its configuration keys and how many input and output
/// artifacts it takes. <see cref="CairnRuns"/> says what Cairn runs it on; null means Cairn accepts it in a pipeline's
/// structure but has nothing to run it with, and <see cref="Instead"/> names what to use.
/// </summary>
public sealed record ActionTypeDefinition(
    string Category,
    string Owner,
    string Provider,
    string Version,
    IReadOnlyList<ActionConfigurationProperty> Configuration,
    (int Min, int Max) Inputs,
    (int Min, int Max) Outputs,
    string? CairnRuns = null,
    string? Instead = null)
{
    public bool RunsInCairn => CairnRuns is not null;

    public string Describe() => $"(Category: '{Category}', Provider: '{Provider}', Owner: '{Owner}', Version: '{Version}')";
}
