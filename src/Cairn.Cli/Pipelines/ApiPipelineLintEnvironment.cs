using System.Text.Json.Nodes;
using Cairn.Cli.Builds;
using Cairn.Core.Pipelines.Lint;

namespace Cairn.Cli.Pipelines;

/// <summary>
/// What `cairn pipeline lint` learns from a running Cairn through its API, as the caller: CodeBuild's projects, IAM's roles
/// and policy simulation (SimulatePrincipalPolicy), the Parameter Store. Any refusal or failure is "could not tell".
/// </summary>
internal sealed class ApiPipelineLintEnvironment(AwsApiClient client, string accountId) : IPipelineLintEnvironment
{
    private const string IamVersion = "2010-05-08";

    public string AccountId => accountId;

    public string Region => client.Region;

    public async Task<LintProject?> FindProjectAsync(string projectName, CancellationToken cancellationToken)
    {
        var answer = await TryAsync(() => client.JsonAsync("codebuild", "CodeBuild_20161006.BatchGetProjects",
            new JsonObject { ["names"] = new JsonArray(projectName) }, cancellationToken));
        if (answer?["projects"] is not JsonArray { Count: > 0 } projects || projects[0] is not JsonObject project)
        {
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in project["environment"]?["environmentVariables"] as JsonArray ?? [])
        {
            if ((string?)variable?["type"] == "PARAMETER_STORE" && (string?)variable["name"] is { } name && (string?)variable["value"] is { } value)
            {
                parameters[name] = value;
            }
        }

        return new LintProject((string)project["name"]!, (string)project["arn"]!, (string?)project["serviceRole"] ?? string.Empty, parameters);
    }

    public async Task<IReadOnlyList<string>> ListProjectNamesAsync(CancellationToken cancellationToken)
    {
        var answer = await TryAsync(() => client.JsonAsync("codebuild", "CodeBuild_20161006.ListProjects", [], cancellationToken));
        return (answer?["projects"] as JsonArray ?? []).Select(p => (string?)p).OfType<string>().ToList();
    }

    public async Task<bool?> RoleExistsAsync(string roleArn, CancellationToken cancellationToken)
    {
        try
        {
            await client.QueryAsync("iam", [new("Action", "GetRole"), new("Version", IamVersion), new("RoleName", roleArn[(roleArn.LastIndexOf('/') + 1)..])], cancellationToken);
            return true;
        }
        catch (AwsApiException error) when (error.Code == "NoSuchEntity")
        {
            return false;
        }
        catch (Exception error) when (error is AwsApiException or HttpRequestException)
        {
            return null;
        }
    }

    public async Task<bool?> IsAllowedAsync(string principalArn, string action, string resourceArn, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await client.QueryAsync("iam",
                [
                    new("Action", "SimulatePrincipalPolicy"), new("Version", IamVersion), new("PolicySourceArn", principalArn),
                    new("ActionNames.member.1", action), new("ResourceArns.member.1", resourceArn),
                ], cancellationToken);
            var decision = answer.Descendants().FirstOrDefault(e => e.Name.LocalName == "EvalDecision")?.Value;
            return decision is null ? null : decision == "allowed";
        }
        catch (Exception error) when (error is AwsApiException or HttpRequestException)
        {
            return null;
        }
    }

    public async Task<bool?> ParameterExistsAsync(string name, CancellationToken cancellationToken)
    {
        var answer = await TryAsync(() => client.JsonAsync("ssm", "AmazonSSM.GetParameters", new JsonObject { ["Names"] = new JsonArray(name) }, cancellationToken));
        if (answer is null)
        {
            return null;
        }

        return (answer["InvalidParameters"] as JsonArray ?? []).All(p => (string?)p != name);
    }

    private static async Task<JsonObject?> TryAsync(Func<Task<JsonObject>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception error) when (error is AwsApiException or HttpRequestException)
        {
            return null;
        }
    }
}
