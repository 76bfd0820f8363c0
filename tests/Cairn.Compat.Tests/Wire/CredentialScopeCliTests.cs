using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Wire;

/// <summary>The region in the signature's credential scope, as the aws CLI sends it with --region.</summary>
public sealed class CredentialScopeCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    [Fact]
    public async Task A_region_of_no_AWS_partition_is_refused_with_AWS_text()
    {
        var stderr = (await cairn.Aws("ssm", "describe-parameters", "--region", "xx-fake-9")).Fails("InvalidSignatureException");

        Assert.Contains("Credential should be scoped to a valid region, not 'xx-fake-9'.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IAM_and_STS_answer_whatever_region_the_CLI_is_configured_with()
    {
        // With --endpoint-url the CLI signs IAM with the configured region, not us-east-1 as it does for iam.amazonaws.com.
        (await cairn.Aws("iam", "list-users", "--region", "eu-west-1")).Ok();
        var identity = (await cairn.Aws("sts", "get-caller-identity", "--region", "ap-southeast-2")).Ok();

        Assert.Equal("arn:aws:iam::000000000000:root", identity["Arn"]!.GetValue<string>());
    }
}
