namespace Cairn.Runner.Builds;

/// <summary>
/// One place a build reads a parameter: the variable it sets, the GetParameters name (with <c>:version</c> when
/// given), where it was written, and whether its value is masked whatever the parameter's type.
/// </summary>
public sealed record ParameterUse(string Variable, string Selector, string Origin, bool AlwaysMasked)
{
    /// <summary>The parameter name without a <c>:version</c> or <c>:label</c> selector.</summary>
    public string ParameterName => Selector.LastIndexOf(':') is var colon and > 0 && !Selector.StartsWith("arn:", StringComparison.Ordinal)
        ? Selector[..colon]
        : Selector;
}
