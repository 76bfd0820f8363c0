using System.Net;
using System.Text;
using Cairn.Server.Aws.SigV4;

namespace Cairn.Server.Tests.Wire;

/// <summary>What the credential scope and the signed headers must say before a request is served.</summary>
public sealed class CredentialScopeTests(WireServer wire) : IClassFixture<WireServer>
{
    private static readonly byte[] DescribeBody = "{}"u8.ToArray();

    [Theory]
    [InlineData("s3")]
    [InlineData("iam")]
    [InlineData("kms")]
    [InlineData("")]
    public async Task JSON_request_signed_for_another_service_is_refused(string service)
    {
        var response = await wire.SendSignedAsync(wire.Json("AmazonSSM.DescribeParameters", DescribeBody), service);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("InvalidSignatureException", response.Code);
        Assert.Equal("Credential should be scoped to correct service: 'ssm'. ", response.Message);
    }

    [Theory]
    [InlineData("xx-fake-9")]
    [InlineData("")]
    [InlineData("US-EAST-1")]
    [InlineData("local")]
    public async Task Request_signed_for_a_region_of_no_AWS_partition_is_refused(string region)
    {
        var json = await wire.SendSignedAsync(wire.Json("AmazonSSM.DescribeParameters", DescribeBody), "ssm", region);
        var query = await wire.SendSignedAsync(wire.Form("Action=ListUsers&Version=2010-05-08"), "iam", region);

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidSignatureException"), (json.Status, json.Code));
        Assert.Equal($"Credential should be scoped to a valid region, not '{region}'. ", json.Message);
        Assert.Equal((HttpStatusCode.Forbidden, "SignatureDoesNotMatch"), (query.Status, query.Code));
    }

    [Theory]
    [InlineData("us-east-1")]
    [InlineData("eu-central-1")]
    [InlineData("cn-north-1")]
    [InlineData("us-gov-west-1")]
    [InlineData("ap-southeast-5")]
    public async Task Regions_of_AWS_partitions_are_served(string region)
    {
        var ssm = await wire.SendSignedAsync(wire.Json("AmazonSSM.DescribeParameters", DescribeBody), "ssm", region);
        var iam = await wire.SendSignedAsync(wire.Form("Action=ListUsers&Version=2010-05-08"), "iam", region);
        var sts = await wire.SendSignedAsync(wire.Form("Action=GetCallerIdentity&Version=2011-06-15"), "sts", region);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { ssm.Status, iam.Status, sts.Status });
    }

    [Fact]
    public async Task Query_request_signed_for_another_service_names_the_service_of_its_action()
    {
        var iam = await wire.SendSignedAsync(wire.Form("Action=ListUsers&Version=2010-05-08"), "sts");
        var sts = await wire.SendSignedAsync(wire.Form("Action=GetCallerIdentity&Version=2011-06-15"), "ssm");

        Assert.Equal((HttpStatusCode.Forbidden, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'iam'. "), (iam.Status, iam.Code, iam.Message));
        Assert.Equal("Credential should be scoped to correct service: 'sts'. ", sts.Message);
    }

    [Fact]
    public async Task X_Amz_Target_must_be_signed()
    {
        var message = wire.Json("AmazonSSM.DescribeParameters", DescribeBody);
        message.Headers.Remove("X-Amz-Target");
        new SigV4Signer(WireServer.AccessKeyId, WireServer.SecretAccessKey, "us-east-1", "ssm").Sign(message, DescribeBody, DateTimeOffset.UtcNow);
        message.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonSSM.DeleteParameter");

        var response = await wire.SendAsync(message);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("IncompleteSignatureException", response.Code);
        Assert.Equal("'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.", response.Message);
    }

    [Fact]
    public async Task UNSIGNED_PAYLOAD_is_refused_on_JSON_services()
    {
        var message = wire.Json("AmazonSSM.DescribeParameters", DescribeBody);
        message.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");
        new SigV4Signer(WireServer.AccessKeyId, WireServer.SecretAccessKey, "us-east-1", "ssm").Sign(message, DescribeBody, DateTimeOffset.UtcNow);
        message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"MaxResults":1}"""))
        {
            Headers = { ContentType = new("application/x-amz-json-1.1") },
        };

        var response = await wire.SendAsync(message);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("InvalidSignatureException", response.Code);
        Assert.Contains("UNSIGNED-PAYLOAD is accepted only by Amazon S3", response.Message, StringComparison.Ordinal);
    }
}
