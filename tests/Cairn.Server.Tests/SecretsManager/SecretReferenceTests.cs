using System.Text.Json.Nodes;
using Cairn.Server.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.SecretsManager;

/// <summary>SSM's /aws/reference/secretsmanager/ parameters: a secret read through GetParameter with decryption.</summary>
public sealed class SecretReferenceTests : SecretsManagerFixture
{
    private Task<JsonObject> GetParameterAsync(string json, Cairn.Core.Identity.RequestContext? context = null) =>
        Server.Services.GetServices<IJsonService>().Single(s => s.TargetPrefix == "AmazonSSM")
            .InvokeAsync("GetParameter", JsonNode.Parse(json)!.AsObject(), context ?? Root, CancellationToken.None);

    [Fact]
    public async Task Get_parameter_with_decryption_reads_the_secret_and_without_it_is_a_validation_error()
    {
        var arn = (await CallAsync("CreateSecret", """{"Name":"app/db","SecretString":"{\"password\":\"p\"}"}"""))["ARN"]!.GetValue<string>();

        var read = await GetParameterAsync("""{"Name":"/aws/reference/secretsmanager/app/db","WithDecryption":true}""");
        var plain = await Assert.ThrowsAsync<Cairn.Core.Errors.AwsException>(() => GetParameterAsync("""{"Name":"/aws/reference/secretsmanager/app/db"}"""));
        var missing = await Assert.ThrowsAsync<Cairn.Core.Errors.AwsException>(() => GetParameterAsync("""{"Name":"/aws/reference/secretsmanager/ghost","WithDecryption":true}"""));
        var reader = await UserAsync(Allow("""["ssm:GetParameter"]"""));
        var denied = await Assert.ThrowsAsync<Cairn.Core.Errors.AwsException>(() => GetParameterAsync("""{"Name":"/aws/reference/secretsmanager/app/db","WithDecryption":true}""", reader));

        var parameter = read["Parameter"]!;
        Assert.Equal("""{"password":"p"}""", parameter["Value"]!.GetValue<string>());
        Assert.Equal("SecureString", parameter["Type"]!.GetValue<string>());
        Assert.Equal(arn, parameter["ARN"]!.GetValue<string>());
        Assert.Equal(arn, JsonNode.Parse(parameter["SourceResult"]!.GetValue<string>())!["ARN"]!.GetValue<string>());
        Assert.Equal("ValidationException", plain.Code);
        Assert.StartsWith("WithDecryption flag must be True", plain.Message, StringComparison.Ordinal);
        Assert.Equal("ParameterNotFound", missing.Code);
        Assert.Equal("AccessDeniedException", denied.Code);
        Assert.Contains("secretsmanager:GetSecretValue", denied.Message, StringComparison.Ordinal);
    }
}
