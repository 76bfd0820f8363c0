namespace Cairn.Core.Pipelines.Lint;

/// <summary>
/// What the pipeline linter asks a running Cairn (or AWS) about the things a declaration names. Every answer may be null
/// for "could not tell" (no permission to look, the server did not answer): the linter then says nothing rather than guess.
/// </summary>
public interface IPipelineLintEnvironment
{
    /// <summary>The project's service role and its PARAMETER_STORE environment variables (name → parameter), or null when there is no such project.</summary>
    Task<LintProject?> FindProjectAsync(string projectName, CancellationToken cancellationToken);

    /// <summary>Every project's name, for did-you-mean.</summary>
    Task<IReadOnlyList<string>> ListProjectNamesAsync(CancellationToken cancellationToken);

    /// <summary>Whether the role exists; null when it could not tell.</summary>
    Task<bool?> RoleExistsAsync(string roleArn, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="principalArn"/>'s policies allow <paramref name="action"/> on <paramref name="resourceArn"/> (IAM's policy simulation).</summary>
    Task<bool?> IsAllowedAsync(string principalArn, string action, string resourceArn, CancellationToken cancellationToken);

    /// <summary>Whether the parameter exists; null when it could not tell.</summary>
    Task<bool?> ParameterExistsAsync(string name, CancellationToken cancellationToken);

    /// <summary>The account and region the names resolve in (for ARNs).</summary>
    string AccountId { get; }

    string Region { get; }
}

/// <summary>A CodeBuild project as the linter needs it.</summary>
public sealed record LintProject(string Name, string Arn, string ServiceRole, IReadOnlyDictionary<string, string> ParameterStoreVariables);
