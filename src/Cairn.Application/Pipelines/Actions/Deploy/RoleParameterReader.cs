using Cairn.Application.Parameters;
using Cairn.Core.Audit;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;
using Cairn.Runner.Builds;

namespace Cairn.Application.Pipelines.Actions.Deploy;

/// <summary>
/// Reads one parameter as a pipeline's role, as GetParameter with decryption would: ssm:GetParameter on the parameter
/// and, for a customer managed key, kms:Decrypt, both decided by the role's policies and audited as calls made by
/// codepipeline.amazonaws.com. A denial becomes a failure naming the statement that allows the read and the command
/// that adds it. Values are returned to the caller only, never logged.
/// </summary>
public sealed class RoleParameterReader(ParameterService parameters, IAuthorizer authorizer, ParameterCrypto crypto, IAuditLog audit, TimeProvider time)
{
    /// <summary>The parameter's value and type (String, StringList, SecureString), or null when it does not exist (a denial throws, with its fix).</summary>
    public async Task<(string Value, string Type)?> ReadAsync(RequestContext role, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        var context = new RequestContext(role.Principal, role.Region, Guid.NewGuid().ToString(), role.SourceIp, time.GetUtcNow(), role.AccessKeyId);
        var scope = new ParameterScope(role.AccountId, role.Region);
        var reference = ParameterReference.Parse(name);
        string? errorCode = null;
        try
        {
            await authorizer.AuthorizeAsync(context, "ssm:GetParameter", scope.ArnFor(reference.Key), cancellationToken);
            var (_, version) = await parameters.ResolveAsync(scope, reference, cancellationToken);
            var value = await crypto.ValueForAsync(context, scope, reference.Key, version, withDecryption: true, cancellationToken);
            return (value, version.Type);
        }
        catch (AwsException error) when (error.Code is "ParameterNotFound" or "ParameterVersionNotFound")
        {
            errorCode = error.Code;
            return null;
        }
        catch (AwsException error) when (error.IsAccessDenied)
        {
            errorCode = error.Code;
            throw AwsErrors.DeployParameterDenied(error.Code, error.Message, Fix(AccessDenial.Parse(error.Message), scope.ArnFor(reference.Key)));
        }
        catch (AwsException error)
        {
            errorCode = error.Code;
            throw;
        }
        finally
        {
            audit.Record(context, "ssm:GetParameter", errorCode, PipelineService.ServicePrincipal);
        }
    }

    /// <summary>The statement the role lacks (the denied action on the denied resource) and the put-role-policy command that adds it.</summary>
    private static string Fix(AccessDenial denial, string parameterArn)
    {
        var grant = PermissionFix.Grant(denial.PrincipalArn, denial.Action ?? "ssm:GetParameter", denial.Resource ?? parameterArn, "cairn-deploy");
        var text = $"The pipeline's role lacks this policy statement:\n{grant.Statement}";
        return grant.Command is null ? text + "\nAdd it to the identity policy of the pipeline's role." : text + $"\nAdd it with:\n{grant.Command}";
    }
}
