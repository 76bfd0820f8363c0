namespace Cairn.Runner.Builds;

/// <summary>The outcome of <see cref="IBuildSecretSource.GetParametersAsync"/>: values, names not found, or a denial.</summary>
public sealed record ParameterLookup(IReadOnlyList<ResolvedParameter> Found, IReadOnlyList<string> Missing, AccessDenial? Denied = null)
{
    public static ParameterLookup Deny(AccessDenial denial) => new([], [], denial);
}
