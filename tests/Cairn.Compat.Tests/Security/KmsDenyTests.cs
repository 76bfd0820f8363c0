using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Security;

/// <summary>
/// SecureStrings under the AWS managed key alias/aws/ssm: its key policy lets every principal of the account decrypt
/// through SSM, but an explicit Deny on kms:Decrypt in the caller's policies still wins, as on AWS.
/// </summary>
public sealed class KmsDenyTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    [Fact]
    public async Task An_explicit_deny_on_kms_Decrypt_refuses_every_decrypting_read_of_a_default_key_SecureString()
    {
        (await cairn.Aws("ssm", "put-parameter", "--name", "/kmsdeny/app/password", "--value", "DenyMe123", "--type", "SecureString")).Ok();
        (await cairn.Aws("iam", "create-user", "--user-name", "no-decrypt")).Ok();
        (await cairn.Aws("iam", "attach-user-policy", "--user-name", "no-decrypt", "--policy-arn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess")).Ok();
        (await cairn.Aws("iam", "put-user-policy", "--user-name", "no-decrypt", "--policy-name", "deny-decrypt", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"kms:Decrypt","Resource":"*"}]}""")).Ok();
        var key = (await cairn.Aws("iam", "create-access-key", "--user-name", "no-decrypt")).Ok()["AccessKey"]!;
        var user = cairn.Credentials(key["AccessKeyId"]!.GetValue<string>(), key["SecretAccessKey"]!.GetValue<string>());

        var reads = new[]
        {
            new[] { "ssm", "get-parameter", "--name", "/kmsdeny/app/password", "--with-decryption" },
            ["ssm", "get-parameters", "--names", "/kmsdeny/app/password", "--with-decryption"],
            ["ssm", "get-parameter-history", "--name", "/kmsdeny/app/password", "--with-decryption"],
            ["ssm", "get-parameters-by-path", "--path", "/kmsdeny", "--recursive", "--with-decryption"],
        };
        foreach (var read in reads)
        {
            var result = await cairn.AwsAs(user, read);
            Assert.DoesNotContain("DenyMe123", result.Stdout, StringComparison.Ordinal);
            var stderr = result.Fails("AccessDeniedException");
            Assert.Contains("kms:Decrypt", stderr, StringComparison.Ordinal);
            Assert.Contains("with an explicit deny", stderr, StringComparison.Ordinal);
        }

        // Without decryption the ciphertext is still readable, and without the deny a plain reader decrypts.
        (await cairn.AwsAs(user, "ssm", "get-parameter", "--name", "/kmsdeny/app/password")).Ok();
        (await cairn.Aws("iam", "delete-user-policy", "--user-name", "no-decrypt", "--policy-name", "deny-decrypt")).Ok();
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var allowed = (await cairn.AwsAs(user, "ssm", "get-parameter", "--name", "/kmsdeny/app/password", "--with-decryption")).Ok();
        Assert.Equal("DenyMe123", allowed["Parameter"]!["Value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_customer_key_policy_that_denies_a_user_refuses_its_decrypting_reads_while_IAM_alone_allows_another()
    {
        var account = (await cairn.Aws("sts", "get-caller-identity")).Ok()["Account"]!.GetValue<string>();
        const string Reader = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameter","kms:Decrypt"],"Resource":"*"}]}""";
        var denied = await cairn.UserWithPolicyAsync("keypolicy-denied", Reader);
        var allowed = await cairn.UserWithPolicyAsync("keypolicy-allowed", Reader);
        var policy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{account}}:root"},"Action":"kms:*","Resource":"*"},
              {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::{{account}}:user/keypolicy-denied"},"Action":"kms:Decrypt","Resource":"*"}]}
            """;
        var keyId = (await cairn.Aws("kms", "create-key", "--policy", policy, "--bypass-policy-lockout-safety-check")).Ok()["KeyMetadata"]!["KeyId"]!.GetValue<string>();
        (await cairn.Aws("ssm", "put-parameter", "--name", "/keypolicy/db", "--value", "KeyP0licy!", "--type", "SecureString", "--key-id", keyId)).Ok();
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        var refused = await cairn.AwsAs(denied, "ssm", "get-parameter", "--name", "/keypolicy/db", "--with-decryption");

        Assert.DoesNotContain("KeyP0licy!", refused.Stdout, StringComparison.Ordinal);
        var stderr = refused.Fails("AccessDeniedException");
        Assert.Contains($"user/keypolicy-denied is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:{account}:key/{keyId} with an explicit deny in a resource-based policy", stderr, StringComparison.Ordinal);
        var read = (await cairn.AwsAs(allowed, "ssm", "get-parameter", "--name", "/keypolicy/db", "--with-decryption")).Ok();
        Assert.Equal("KeyP0licy!", read["Parameter"]!["Value"]!.GetValue<string>());
    }
}
