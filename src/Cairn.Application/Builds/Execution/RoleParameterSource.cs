using Cairn.Application.Builds;
using Cairn.Application.Parameters;
using Cairn.Core.Audit;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;
using Cairn.Runner.Builds;

namespace Cairn.Application.Builds.Execution;

/// <summary>
/// A build's parameter-store values, read in-process through the Parameter Store's application service as the build's
/// role session, so the role's policies (and kms:Decrypt for a customer key) decide exactly as for an API call; each
/// read is audited as one. What only a fix needs (a parameter's key, the names for "did you mean") is read without
/// authorization and never carries a value. Values never leave this class except to the build.
/// </summary>
internal sealed class RoleParameterSource(ParameterService parameters, IAuditLog audit, RequestContext role, TimeProvider time) : IBuildSecretSource
{
    /// <summary>How many names "did you mean" looks through.</summary>
    private const int NameLimit = 1000;

    /// <summary>Who the values are read as: the build's role session.</summary>
    public RequestContext Role => role;

    private ParameterScope Scope => new(role.AccountId, role.Region);

    public async Task<ParameterLookup> GetParametersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var context = new RequestContext(role.Principal, role.Region, Guid.NewGuid().ToString(), role.SourceIp, time.GetUtcNow(), role.AccessKeyId);
        ParameterRead read;
        string? errorCode = null;
        try
        {
            read = await parameters.GetParametersAsync(context, names, withDecryption: true, cancellationToken);
        }
        catch (AwsException error) when (error.IsAccessDenied)
        {
            errorCode = error.Code;
            return ParameterLookup.Deny(AccessDenial.Parse(error.Message));
        }
        catch (AwsException error)
        {
            errorCode = error.Code;
            throw new InvalidOperationException($"{error.Code}: {error.Message}", error);
        }
        finally
        {
            audit.Record(context, "ssm:GetParameters", errorCode, BuildService.ServicePrincipal);
        }

        var returned = read.Found.ToDictionary(found => found.Asked, StringComparer.Ordinal);
        var found = names.Where(returned.ContainsKey)
            .Select(name => new ResolvedParameter(name, returned[name].Value, returned[name].Version.Type))
            .ToList();
        return new ParameterLookup(found, names.Where(n => !returned.ContainsKey(n)).ToList());
    }

    public async Task<string?> FindCustomerKeyArnAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await parameters.CustomerKeyArnAsync(Scope, name, cancellationToken);
        }
        catch (AwsException)
        {
            return null;
        }
    }

    public Task<IReadOnlyList<string>> ListParameterNamesAsync(CancellationToken cancellationToken) =>
        parameters.ListNamesAsync(Scope, NameLimit, cancellationToken);
}
