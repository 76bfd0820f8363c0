using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;

namespace Cairn.Server.Services.Ssm;

/// <summary>
/// GetParameter of <c>/aws/reference/secretsmanager/&lt;secret-id&gt;</c>: a Secrets Manager secret read through the
/// Parameter Store, as AWS serves it (WithDecryption required; the value is the SecretString, SourceResult the
/// GetSecretValue answer). The caller needs ssm:GetParameter on the reference and secretsmanager:GetSecretValue on the secret.
/// </summary>
internal sealed partial class SsmService
{
    public const string SecretReferencePrefix = "/aws/reference/secretsmanager/";

    private static bool IsSecretReference(string name) => name.StartsWith(SecretReferencePrefix, StringComparison.Ordinal);

    private async Task<JsonObject> GetSecretReferenceAsync(string name, bool withDecryption, RequestContext context, CancellationToken cancellationToken)
    {
        var scope = ScopeOf(context);
        var secretId = name[SecretReferencePrefix.Length..];
        await AuthorizeAsync(context, "ssm:GetParameter", scope.ArnFor(name), cancellationToken);
        if (!withDecryption)
        {
            throw AwsErrors.SecretReferenceNeedsDecryption();
        }

        if (_secrets is null || secretId.Length == 0)
        {
            throw AwsErrors.ParameterNotFound(name);
        }

        Application.Secrets.SecretValue value;
        try
        {
            value = await _secrets.GetSecretValueAsync(context, secretId, null, null, cancellationToken);
        }
        catch (AwsException error) when (error.Code == "ResourceNotFoundException")
        {
            throw AwsErrors.ParameterNotFound(name);
        }

        var source = SecretsManager.SecretsManagerJson.SecretValue(value);
        return new JsonObject
        {
            ["Parameter"] = new JsonObject
            {
                ["Name"] = name,
                ["Type"] = ParameterTypes.SecureString,
                ["Value"] = value.String ?? Convert.ToBase64String(value.Binary!),
                ["Version"] = 0,
                ["SourceResult"] = source.ToJsonString(),
                ["LastModifiedDate"] = SsmJson.Timestamp(value.Created),
                ["ARN"] = value.Arn,
                ["DataType"] = "text",
            },
        };
    }
}
