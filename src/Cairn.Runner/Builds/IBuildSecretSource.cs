namespace Cairn.Runner.Builds;

/// <summary>
/// Where a build's Parameter Store values (and Secrets Manager values) come from, read as the build's identity (its service role, or root) so that
/// authorization is the API's. The CLI implements it over the SSM API with SigV4; the CodeBuild service in-process.
/// </summary>
public interface IBuildSecretSource
{
    /// <summary>
    /// ssm:GetParameters with decryption for <paramref name="names"/> (names, or <c>name:version</c> selectors). Names the
    /// store does not have come back in <see cref="ParameterLookup.Missing"/>; a denial in <see cref="ParameterLookup.Denied"/>.
    /// </summary>
    Task<ParameterLookup> GetParametersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);

    /// <summary>
    /// The ARN of the customer managed KMS key that encrypts <paramref name="name"/>, for the fix of a denial; null for the
    /// default aws/ssm key, for a plaintext parameter, or when it cannot be found out.
    /// </summary>
    Task<string?> FindCustomerKeyArnAsync(string name, CancellationToken cancellationToken);

    /// <summary>Existing parameter names, for "did you mean" on a missing one; empty when they cannot be listed.</summary>
    Task<IReadOnlyList<string>> ListParameterNamesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// secretsmanager:GetSecretValue for a secret (name or ARN) at a version stage or version id (AWSCURRENT when neither),
    /// as the build's identity. A source that cannot reach Secrets Manager answers with an error saying so.
    /// </summary>
    Task<SecretsManagerLookup> GetSecretValueAsync(string secretId, string? versionStage, string? versionId, CancellationToken cancellationToken) =>
        Task.FromResult(SecretsManagerLookup.Fail("UnsupportedOperation", $"this build reads no Secrets Manager (secret {secretId}); run it on a Cairn server"));
}
