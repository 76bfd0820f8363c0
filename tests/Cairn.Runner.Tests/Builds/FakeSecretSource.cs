using Cairn.Core.Builds;
using Cairn.Runner.Builds;

namespace Cairn.Runner.Tests.Builds;

/// <summary>A Parameter Store in memory that answers as SSM would for a principal allowed to read only some names.</summary>
internal sealed class FakeSecretSource : IBuildSecretSource
{
    public const string Principal = "arn:aws:sts::000000000000:assumed-role/codebuild-service-role/cairn-build-1";

    public Dictionary<string, ResolvedParameter> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>Names the principal may not read; everything else is allowed.</summary>
    public HashSet<string> Denied { get; } = new(StringComparer.Ordinal);

    /// <summary>Customer managed key ARN per parameter name.</summary>
    public Dictionary<string, string> CustomerKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Parameters whose key the principal may not use (kms:Decrypt is denied).</summary>
    public HashSet<string> KeyDenied { get; } = new(StringComparer.Ordinal);

    /// <summary>Parameters whose key's own policy denies the principal kms:Decrypt.</summary>
    public HashSet<string> KeyPolicyDenied { get; } = new(StringComparer.Ordinal);

    public List<IReadOnlyList<string>> Calls { get; } = [];

    /// <summary>Secrets Manager secrets (AWSCURRENT value) by name; the principal may read all but <see cref="DeniedSecrets"/>.</summary>
    public Dictionary<string, string> SecretValues { get; } = new(StringComparer.Ordinal);

    public HashSet<string> DeniedSecrets { get; } = new(StringComparer.Ordinal);

    public Task<SecretsManagerLookup> GetSecretValueAsync(string secretId, string? versionStage, string? versionId, CancellationToken cancellationToken) =>
        Task.FromResult(
            DeniedSecrets.Contains(secretId)
                ? SecretsManagerLookup.Deny(AccessDenial.Parse(
                    $"User: {Principal} is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:000000000000:secret:{secretId}-AbCdEf because no identity-based policy allows the secretsmanager:GetSecretValue action"))
                : SecretValues.TryGetValue(secretId, out var value) && versionStage is null or "AWSCURRENT"
                    ? new SecretsManagerLookup(value)
                    : SecretsManagerLookup.Fail("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));

    public FakeSecretSource Add(string name, string value, string type = "SecureString")
    {
        Parameters[name] = new ResolvedParameter(name, value, type);
        return this;
    }

    public Task<ParameterLookup> GetParametersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        Calls.Add(names);
        foreach (var name in names)
        {
            var bare = name.Split(':')[0];
            if (Denied.Contains(bare))
            {
                return Task.FromResult(ParameterLookup.Deny(AccessDenial.Parse(
                    $"User: {Principal} is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:000000000000:parameter/{bare.TrimStart('/')} because no identity-based policy allows the ssm:GetParameters action")));
            }
        }

        foreach (var name in names)
        {
            if (KeyPolicyDenied.Contains(name) && Parameters.ContainsKey(name))
            {
                return Task.FromResult(ParameterLookup.Deny(AccessDenial.Parse(
                    $"User: {Principal} is not authorized to perform: kms:Decrypt on resource: {CustomerKeys[name]} with an explicit deny in a resource-based policy (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; Request ID: 1; Proxy: null)")));
            }

            if (KeyDenied.Contains(name) && Parameters.ContainsKey(name))
            {
                return Task.FromResult(ParameterLookup.Deny(AccessDenial.Parse(
                    $"User: {Principal} is not authorized to perform: kms:Decrypt on resource: {CustomerKeys[name]} because no identity-based policy allows the kms:Decrypt action (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; Request ID: 1; Proxy: null)")));
            }
        }

        var found = names.Where(Parameters.ContainsKey).Select(n => Parameters[n]).ToList();
        var missing = names.Where(n => !Parameters.ContainsKey(n)).ToList();
        return Task.FromResult(new ParameterLookup(found, missing));
    }

    public Task<string?> FindCustomerKeyArnAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(CustomerKeys.TryGetValue(name, out var key) ? key : null);

    public Task<IReadOnlyList<string>> ListParameterNamesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. Parameters.Keys]);
}
