using System.Text.Json.Nodes;
using Cairn.Runner.Builds;

namespace Cairn.Cli.Builds;

/// <summary>
/// Reads a build's parameters through the SSM API (and its Secrets Manager values through that API) as the build's identity, so the server authorizes every read as it
/// would for CodeBuild's service role. What the fix for a denial needs (the parameter's key) is looked up with
/// <paramref name="admin"/>, the identity that started the build, since the build's role may not describe parameters.
/// </summary>
internal sealed class SsmSecretSource(AwsApiClient identity, AwsApiClient admin, string accountId) : IBuildSecretSource
{
    private const string DefaultKey = "alias/aws/ssm";

    public async Task<ParameterLookup> GetParametersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        JsonObject response;
        try
        {
            response = await identity.JsonAsync("ssm", "AmazonSSM.GetParameters",
                new JsonObject { ["Names"] = new JsonArray([.. names.Select(n => (JsonNode)n)]), ["WithDecryption"] = true },
                cancellationToken);
        }
        catch (AwsApiException error) when (error.IsAccessDenied)
        {
            return ParameterLookup.Deny(AccessDenial.Parse(error.Message));
        }
        catch (AwsApiException error)
        {
            throw new InvalidOperationException($"{error.Code}: {error.Message}", error);
        }

        var returned = new Dictionary<string, ResolvedParameter>(StringComparer.Ordinal);
        foreach (var parameter in response["Parameters"]?.AsArray() ?? [])
        {
            var name = (string?)parameter?["Name"] ?? "";
            var asked = name + ((string?)parameter?["Selector"] ?? "");
            returned[asked] = new ResolvedParameter(asked, (string?)parameter?["Value"] ?? "", (string?)parameter?["Type"] ?? "String");
        }

        var found = new List<ResolvedParameter>();
        var missing = new List<string>();
        foreach (var name in names)
        {
            if (returned.TryGetValue(name, out var parameter))
            {
                found.Add(parameter with { Name = name });
            }
            else
            {
                missing.Add(name);
            }
        }

        return new ParameterLookup(found, missing);
    }

    /// <summary>secretsmanager:GetSecretValue as the build's identity; SecretBinary comes back as its base64.</summary>
    public async Task<SecretsManagerLookup> GetSecretValueAsync(string secretId, string? versionStage, string? versionId, CancellationToken cancellationToken)
    {
        var input = new JsonObject { ["SecretId"] = secretId };
        if (versionStage is not null)
        {
            input["VersionStage"] = versionStage;
        }

        if (versionId is not null)
        {
            input["VersionId"] = versionId;
        }

        try
        {
            var response = await identity.JsonAsync("secretsmanager", "secretsmanager.GetSecretValue", input, cancellationToken);
            return new SecretsManagerLookup((string?)response["SecretString"] ?? (string?)response["SecretBinary"] ?? string.Empty);
        }
        catch (AwsApiException error) when (error.IsAccessDenied)
        {
            return SecretsManagerLookup.Deny(AccessDenial.Parse(error.Message));
        }
        catch (AwsApiException error)
        {
            return SecretsManagerLookup.Fail(error.Code, error.Message);
        }
    }

    public async Task<string?> FindCustomerKeyArnAsync(string name, CancellationToken cancellationToken)
    {
        var described = await admin.JsonAsync("ssm", "AmazonSSM.DescribeParameters",
            new JsonObject
            {
                ["ParameterFilters"] = new JsonArray(new JsonObject { ["Key"] = "Name", ["Option"] = "Equals", ["Values"] = new JsonArray(name) }),
            },
            cancellationToken);
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
            var key = await admin.JsonAsync("kms", "TrentService.DescribeKey", new JsonObject { ["KeyId"] = keyId }, cancellationToken);
            return (string?)key["KeyMetadata"]?["Arn"];
        }
        catch (AwsApiException)
        {
            return Guid.TryParse(keyId, out _) ? $"arn:aws:kms:{admin.Region}:{accountId}:key/{keyId}" : null;
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

            var response = await admin.JsonAsync("ssm", "AmazonSSM.DescribeParameters", body, cancellationToken);
            names.AddRange((response["Parameters"]?.AsArray() ?? []).Select(p => (string?)p?["Name"]).OfType<string>());
            token = (string?)response["NextToken"];
            if (token is null)
            {
                break;
            }
        }

        return names;
    }
}
