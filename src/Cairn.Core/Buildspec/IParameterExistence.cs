namespace Cairn.Core.Buildspec;

/// <summary>
/// Lets the linter ask a reachable Parameter Store whether the parameters a buildspec names exist. Pass one only
/// when a store is reachable; without it the existence check is skipped.
/// </summary>
public interface IParameterExistence
{
    /// <summary>True when <paramref name="name"/> (a parameter name, without version or label) exists.</summary>
    Task<bool> ExistsAsync(string name, CancellationToken cancellationToken);

    /// <summary>Names that exist, for "did you mean" on a missing one; empty when the store cannot list them.</summary>
    Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
}
