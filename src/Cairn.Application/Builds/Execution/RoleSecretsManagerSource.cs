using Cairn.Application.Builds;
using Cairn.Application.Secrets;
using Cairn.Core.Audit;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Runner.Builds;

namespace Cairn.Application.Builds.Execution;

/// <summary>
/// A build's secrets: its parameter-store values through <paramref name="parameters"/>, and its Secrets Manager values read
/// in-process through <see cref="SecretService"/> as the build's role session, so the role's policies, the secret's
/// resource policy and kms:Decrypt on a customer key decide exactly as for an API call; each read is audited as one.
/// </summary>
internal sealed class RoleSecretsManagerSource(IBuildSecretSource parameters, SecretService secrets, IAuditLog audit, RequestContext role, TimeProvider time) : IBuildSecretSource
{
    public Task<ParameterLookup> GetParametersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        parameters.GetParametersAsync(names, cancellationToken);

    public Task<string?> FindCustomerKeyArnAsync(string name, CancellationToken cancellationToken) => parameters.FindCustomerKeyArnAsync(name, cancellationToken);

    public Task<IReadOnlyList<string>> ListParameterNamesAsync(CancellationToken cancellationToken) => parameters.ListParameterNamesAsync(cancellationToken);

    public async Task<SecretsManagerLookup> GetSecretValueAsync(string secretId, string? versionStage, string? versionId, CancellationToken cancellationToken)
    {
        var context = new RequestContext(role.Principal, role.Region, Guid.NewGuid().ToString(), role.SourceIp, time.GetUtcNow(), role.AccessKeyId);
        string? errorCode = null;
        try
        {
            var value = await secrets.GetSecretValueAsync(context, secretId, versionId, versionStage, cancellationToken);
            return new SecretsManagerLookup(value.String ?? Convert.ToBase64String(value.Binary!));
        }
        catch (AwsException error) when (error.IsAccessDenied)
        {
            errorCode = error.Code;
            return SecretsManagerLookup.Deny(AccessDenial.Parse(error.Message));
        }
        catch (AwsException error)
        {
            errorCode = error.Code;
            return SecretsManagerLookup.Fail(error.Code, error.Message);
        }
        finally
        {
            audit.Record(context, "secretsmanager:GetSecretValue", errorCode, BuildService.ServicePrincipal);
        }
    }
}
