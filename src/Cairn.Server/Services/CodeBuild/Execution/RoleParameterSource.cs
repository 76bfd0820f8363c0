using Cairn.Application.Builds;
using System.Text.Json.Nodes;
using Cairn.Core.Audit;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Runner.Builds;
using Cairn.Server.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.CodeBuild.Execution;

/// <summary>
/// A build's parameter-store values, read in-process through the Parameter Store as the build's role session, so the
/// role's policies (and kms:Decrypt for a customer key) decide exactly as for an API call; each read is audited like one.
/// What only a fix needs (a parameter's key, the names for "did you mean") is read as the account, since a role that
/// may not read a parameter may well not describe it either. Values never leave this class except to the build.
/// </summary>
internal sealed class RoleParameterSource(IServiceProvider services, IAuditLog audit, RequestContext role, TimeProvider time) : IBuildSecretSource
{
    private const string DefaultKey = "alias/aws/ssm";

    /// <summary>Who the values are read as: the build's role session.</summary>
    public RequestContext Role => role;

    public async Task<ParameterLookup> GetParametersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var context = new RequestContext(role.Principal, role.Region, Guid.NewGuid().ToString(), role.SourceIp, time.GetUtcNow(), role.AccessKeyId);
        JsonObject response;
        string? errorCode = null;
        try
        {
            response = await Service("AmazonSSM").InvokeAsync("GetParameters",
                new JsonObject { ["Names"] = new JsonArray([.. names.Select(n => (JsonNode)n)]), ["WithDecryption"] = true },
                context, cancellationToken);
        }
        catch (AwsException error) when (error.Code is "AccessDeniedException" or "AccessDenied")
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

        var returned = new Dictionary<string, ResolvedParameter>(StringComparer.Ordinal);
        foreach (var parameter in response["Parameters"]?.AsArray() ?? [])
        {
            var asked = ((string?)parameter?["Name"] ?? string.Empty) + ((string?)parameter?["Selector"] ?? string.Empty);
            returned[asked] = new ResolvedParameter(asked, (string?)parameter?["Value"] ?? string.Empty, (string?)parameter?["Type"] ?? "String");
        }

        var found = names.Where(returned.ContainsKey).Select(n => returned[n] with { Name = n }).ToList();
        return new ParameterLookup(found, names.Where(n => !returned.ContainsKey(n)).ToList());
    }

    public async Task<string?> FindCustomerKeyArnAsync(string name, CancellationToken cancellationToken)
    {
        var described = await Service("AmazonSSM").InvokeAsync("DescribeParameters", new JsonObject
        {
            ["ParameterFilters"] = new JsonArray(new JsonObject { ["Key"] = "Name", ["Option"] = "Equals", ["Values"] = new JsonArray(name) }),
        }, Account(), cancellationToken);
        var keyId = (string?)described["Parameters"]?.AsArray().FirstOrDefault()?["KeyId"];
        if (keyId is null || keyId == DefaultKey || keyId.EndsWith(":" + DefaultKey, StringComparison.Ordinal))
        {
            return null;
        }

        if (keyId.StartsWith("arn:", StringComparison.Ordinal) && keyId.Contains(":key/", StringComparison.Ordinal))
        {
            return keyId;
        }

        try
        {
            var key = await Service("TrentService").InvokeAsync("DescribeKey", new JsonObject { ["KeyId"] = keyId }, Account(), cancellationToken);
            return (string?)key["KeyMetadata"]?["Arn"];
        }
        catch (AwsException)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<string>> ListParameterNamesAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        string? token = null;
        for (var page = 0; page < 20; page++)
        {
            var body = new JsonObject { ["MaxResults"] = 50 };
            if (token is not null)
            {
                body["NextToken"] = token;
            }

            var response = await Service("AmazonSSM").InvokeAsync("DescribeParameters", body, Account(), cancellationToken);
            names.AddRange((response["Parameters"]?.AsArray() ?? []).Select(p => (string?)p?["Name"]).OfType<string>());
            token = (string?)response["NextToken"];
            if (token is null)
            {
                break;
            }
        }

        return names;
    }

    private IJsonService Service(string prefix) => services.GetServices<IJsonService>().First(s => s.TargetPrefix == prefix);

    private RequestContext Account() =>
        new(Principal.Root(role.AccountId), role.Region, Guid.NewGuid().ToString(), null, time.GetUtcNow());

}
