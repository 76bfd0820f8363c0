using System.Text.Json.Nodes;
using Cairn.Core.Buildspec;
using Cairn.Runner.Builds;

namespace Cairn.Cli.Builds;

/// <summary>Answers lint's "does this parameter exist?" through the Parameter Store API, never asking for a decrypted value.</summary>
internal sealed class ApiParameterExistence(AwsApiClient client, IBuildSecretSource names) : IParameterExistence
{
    public Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken) => names.ListParameterNamesAsync(cancellationToken);

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.JsonAsync("ssm", "AmazonSSM.GetParameter", new JsonObject { ["Name"] = name, ["WithDecryption"] = false }, cancellationToken);
            return true;
        }
        catch (AwsApiException error) when (error.Code is "ParameterNotFound" or "ParameterVersionNotFound")
        {
            return false;
        }
    }
}
