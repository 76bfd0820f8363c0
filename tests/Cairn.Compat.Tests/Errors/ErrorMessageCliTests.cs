using Cairn.Compat.Tests.Infrastructure;
using Cairn.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Compat.Tests.Errors;

/// <summary>
/// Where AWS sends an empty or generic message, the aws CLI shows Cairn's: AWS's error code, then what was missing,
/// what exists nearby, or what Cairn serves instead.
/// </summary>
public sealed class ErrorMessageCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    [Fact]
    public async Task A_mistyped_parameter_name_is_ParameterNotFound_naming_it_and_the_close_name_that_exists()
    {
        (await cairn.Aws("ssm", "put-parameter", "--name", "my_app_Docker_credentials_password", "--value", "s3cret", "--type", "SecureString", "--overwrite")).Ok();

        var typo = (await cairn.Aws("ssm", "get-parameter", "--name", "my_app_docker_credentials_password", "--with-decryption")).Fails("ParameterNotFound");
        var none = (await cairn.Aws("ssm", "get-parameter", "--name", "/nothing/like/it")).Fails("ParameterNotFound");

        Assert.True(typo.Contains(
            "Parameter my_app_docker_credentials_password not found. Did you mean my_app_Docker_credentials_password?",
            StringComparison.Ordinal), typo);
        Assert.True(none.TrimEnd().EndsWith(": Parameter /nothing/like/it not found.", StringComparison.Ordinal), none);
        Assert.DoesNotContain("s3cret", typo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tags_of_a_missing_parameter_and_a_wrong_ciphertext_say_what_to_check()
    {
        var tags = (await cairn.Aws("ssm", "list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", "/no/such/parameter")).Fails("InvalidResourceId");
        var key = (await cairn.Aws("kms", "create-key")).Ok()["KeyMetadata"]!["KeyId"]!.GetValue<string>();
        var blob = (await cairn.Aws("kms", "encrypt", "--key-id", key, "--plaintext", "aGVsbG8=", "--encryption-context", "app=a")).Ok()["CiphertextBlob"]!.GetValue<string>();
        var decrypt = (await cairn.Aws("kms", "decrypt", "--ciphertext-blob", blob, "--encryption-context", "app=b")).Fails("InvalidCiphertextException");

        Assert.True(tags.Contains("No parameter /no/such/parameter", StringComparison.Ordinal), tags);
        Assert.True(decrypt.Contains("The ciphertext could not be decrypted", StringComparison.Ordinal), decrypt);
    }

    [Fact]
    public async Task A_service_cairn_does_not_serve_says_so_and_lists_what_it_serves()
    {
        var clusters = await cairn.Aws("ecs", "list-clusters");
        var buckets = await cairn.Aws("s3api", "list-buckets");

        var json = clusters.Fails("UnknownOperationException");
        Assert.True(json.Contains("Cairn does not serve ecs (asked for ListClusters). It serves codebuild, codeconnections, codepipeline, codestar-connections, iam, kms, logs, secretsmanager, ssm, sts", StringComparison.Ordinal), json);
        var xml = buckets.Fails("UnknownOperationException");
        Assert.True(xml.Contains("Cairn does not serve s3 (asked for GET /)", StringComparison.Ordinal), xml);
    }

    [Fact]
    public async Task An_operation_cairn_does_not_serve_names_the_ones_it_does()
    {
        var ssm = (await cairn.Aws("ssm", "send-command", "--document-name", "AWS-RunShellScript", "--instance-ids", "i-0123456789abcdef0")).Fails("UnknownOperationException");
        var iam = (await cairn.Aws("iam", "list-saml-providers")).Fails("InvalidAction");

        Assert.True(ssm.Contains("Cairn's ssm does not serve SendCommand. It serves: AddTagsToResource, DeleteParameter,", StringComparison.Ordinal), ssm);
        Assert.True(iam.Contains("Could not find operation ListSAMLProviders for version 2010-05-08. Cairn's IAM serves: ", StringComparison.Ordinal), iam);
        var audit = await cairn.Server.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery(ActionPrefix: "ssm:SendCommand"), default);
        Assert.Contains(audit, e => e is { Decision: "None", ErrorCode: "UnknownOperationException" });
    }
}
