namespace Cairn.Server.Tests.SecretsManager;

/// <summary>ResourceNotFoundException for a mistyped SecretId names the closest secrets, only to a caller who may list them.</summary>
public sealed class SecretDidYouMeanTests : SecretsManagerFixture
{
    [Fact]
    public async Task A_mistyped_id_names_the_closest_secrets_by_name_or_arn_and_a_far_one_names_none()
    {
        await CallAsync("CreateSecret", """{"Name":"prod/db-password","SecretString":"p"}""");
        await CallAsync("CreateSecret", """{"Name":"prod/db-passwords","SecretString":"p"}""");
        await CallAsync("CreateSecret", """{"Name":"staging/api-key","SecretString":"k"}""");

        var read = await FailAsync("GetSecretValue", """{"SecretId":"prod/db-pasword"}""");
        var described = await FailAsync("DescribeSecret", """{"SecretId":"Staging/API-kye"}""");
        var byArn = await FailAsync("GetSecretValue", $$"""{"SecretId":"arn:aws:secretsmanager:{{Region}}:{{Account}}:secret:staging/api-kee-AbCdEf"}""");
        var far = await FailAsync("GetSecretValue", """{"SecretId":"completely-different"}""");

        Assert.Equal("ResourceNotFoundException", read.Code);
        Assert.Contains("did you mean prod/db-password or prod/db-passwords?", read.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean staging/api-key?", described.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean staging/api-key?", byArn.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", far.Message, StringComparison.Ordinal);
        Assert.StartsWith("Secrets Manager can't find the specified secret.", far.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_who_cannot_list_secrets_is_told_no_names()
    {
        await CallAsync("CreateSecret", """{"Name":"hidden/token","SecretString":"t"}""");
        await CallAsync("CreateSecret", """{"Name":"deleted/token","SecretString":"t"}""");
        await CallAsync("DeleteSecret", """{"SecretId":"deleted/token"}""");
        var reader = await UserAsync(Allow("""["secretsmanager:GetSecretValue"]"""));
        var lister = await UserAsync(Allow("""["secretsmanager:GetSecretValue","secretsmanager:ListSecrets"]"""));

        var unlisted = await FailAsync("GetSecretValue", """{"SecretId":"hidden/tokne"}""", reader);
        var listed = await FailAsync("GetSecretValue", """{"SecretId":"hidden/tokne"}""", lister);
        var deleted = await FailAsync("GetSecretValue", """{"SecretId":"deleted/tokn"}""", lister);

        Assert.Equal("ResourceNotFoundException", unlisted.Code);
        Assert.DoesNotContain("hidden/token", unlisted.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean hidden/token?", listed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", deleted.Message, StringComparison.Ordinal);
    }
}
