using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Ssm;

/// <summary>
/// The AWS SDK for .NET (v4) as a third real client: the way a .NET app reads its configuration, with ServiceURL set to
/// the server's endpoint and nothing else changed.
/// </summary>
public sealed class SsmDotnetSdkTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private const string Region = "us-east-1";

    private BasicAWSCredentials Root => new(CairnFixture.RootKeyId, CairnFixture.RootSecret);

    private AmazonSimpleSystemsManagementClient Ssm(AWSCredentials credentials) =>
        new(credentials, new AmazonSimpleSystemsManagementConfig { ServiceURL = cairn.Endpoint, AuthenticationRegion = Region, MaxErrorRetry = 0 });

    private AmazonKeyManagementServiceClient Kms(AWSCredentials credentials) =>
        new(credentials, new AmazonKeyManagementServiceConfig { ServiceURL = cairn.Endpoint, AuthenticationRegion = Region, MaxErrorRetry = 0 });

    private AmazonSecurityTokenServiceClient Sts(AWSCredentials credentials) =>
        new(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = cairn.Endpoint, AuthenticationRegion = Region, MaxErrorRetry = 0 });

    [Fact]
    public async Task SecureString_round_trips_and_only_decrypts_when_asked()
    {
        using var ssm = Ssm(Root);
        var put = await ssm.PutParameterAsync(new PutParameterRequest
        {
            Name = "/dotnet/app/db-password",
            Value = "s3cr3t-from-dotnet",
            Type = ParameterType.SecureString,
        });
        Assert.Equal(1L, put.Version);

        var decrypted = (await ssm.GetParameterAsync(new GetParameterRequest { Name = "/dotnet/app/db-password", WithDecryption = true })).Parameter;
        Assert.Equal("s3cr3t-from-dotnet", decrypted.Value);
        Assert.Equal(ParameterType.SecureString, decrypted.Type);
        Assert.Equal(1L, decrypted.Version);
        Assert.Equal("text", decrypted.DataType);
        Assert.NotNull(decrypted.LastModifiedDate);
        Assert.EndsWith(":parameter/dotnet/app/db-password", decrypted.ARN, StringComparison.Ordinal);

        var encrypted = (await ssm.GetParameterAsync(new GetParameterRequest { Name = "/dotnet/app/db-password" })).Parameter;
        Assert.NotEqual("s3cr3t-from-dotnet", encrypted.Value);
        Assert.DoesNotContain("s3cr3t-from-dotnet", encrypted.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetParametersByPath_pages_with_NextToken_until_every_parameter_is_read()
    {
        using var ssm = Ssm(Root);
        var expected = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var name = $"/dotnet/paged/p{i:00}";
            expected.Add(name);
            await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = $"value-{i}", Type = ParameterType.String });
        }

        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/dotnet/paged/deeper/secret", Value = "hidden", Type = ParameterType.SecureString });

        var names = new List<string>();
        var values = new Dictionary<string, string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/dotnet/paged", MaxResults = 5, NextToken = token });
            pages++;
            Assert.True((page.Parameters?.Count ?? 0) <= 5, $"page {pages} has more than MaxResults");
            foreach (var parameter in page.Parameters ?? [])
            {
                names.Add(parameter.Name);
                values[parameter.Name] = parameter.Value;
            }

            token = page.NextToken;
            Assert.True(pages < 20, "GetParametersByPath kept answering a NextToken");
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(expected, names.Order(StringComparer.Ordinal));
        Assert.True(pages >= 3, $"12 parameters at MaxResults 5 came in {pages} page(s)");
        Assert.Equal("value-7", values["/dotnet/paged/p07"]);

        var recursive = await ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/dotnet/paged/deeper", Recursive = true, WithDecryption = true });
        Assert.Equal("hidden", Assert.Single(recursive.Parameters).Value);
    }

    [Fact]
    public async Task A_missing_parameter_is_the_SDKs_typed_ParameterNotFoundException_with_Cairns_message()
    {
        using var ssm = Ssm(Root);
        var error = await Assert.ThrowsAsync<ParameterNotFoundException>(() =>
            ssm.GetParameterAsync(new GetParameterRequest { Name = "/dotnet/does/not/exist" }));

        Assert.Equal("ParameterNotFound", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.StartsWith("Parameter /dotnet/does/not/exist not found.", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.RequestId), "the SDK read no request id");
    }

    [Fact]
    public async Task Kms_CreateKey_Encrypt_Decrypt_round_trips()
    {
        using var kms = Kms(Root);
        var key = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "dotnet sdk compat" })).KeyMetadata;
        Assert.Equal(KeyState.Enabled, key.KeyState);
        Assert.Equal(KeySpec.SYMMETRIC_DEFAULT, key.KeySpec);

        var plaintext = "connection-string=Server=db;Password=hunter2"u8.ToArray();
        var encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new MemoryStream(plaintext) });
        Assert.Equal(key.Arn, encrypted.KeyId);
        var blob = encrypted.CiphertextBlob.ToArray();
        Assert.NotEqual(plaintext, blob);

        var decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) });
        Assert.Equal(plaintext, decrypted.Plaintext.ToArray());
        Assert.Equal(key.Arn, decrypted.KeyId);

        var tampered = (byte[])blob.Clone();
        tampered[^1] ^= 0xff;
        var error = await Assert.ThrowsAsync<InvalidCiphertextException>(() => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(tampered) }));
        Assert.Equal("InvalidCiphertextException", error.ErrorCode);
    }

    [Fact]
    public async Task Sts_GetCallerIdentity_and_AssumeRole_credentials_work_with_the_SSM_client()
    {
        using (var rootSsm = Ssm(Root))
        {
            await rootSsm.PutParameterAsync(new PutParameterRequest { Name = "/dotnet/role/app/key", Value = "role-readable", Type = ParameterType.SecureString });
            await rootSsm.PutParameterAsync(new PutParameterRequest { Name = "/dotnet/role/other/key", Value = "not-for-the-role", Type = ParameterType.String });
        }

        using (var rootSts = Sts(Root))
        {
            var root = await rootSts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            Assert.Equal("arn:aws:iam::000000000000:root", root.Arn);
            Assert.Equal("000000000000", root.Account);
        }

        var user = await cairn.UserWithPolicyAsync("dotnet-deployer",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::000000000000:role/dotnet-app"}]}""");
        (await cairn.Aws("iam", "create-role", "--role-name", "dotnet-app", "--assume-role-policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/dotnet-deployer"},"Action":"sts:AssumeRole"}]}""")).Ok();
        (await cairn.Aws("iam", "put-role-policy", "--role-name", "dotnet-app", "--policy-name", "read-app", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:*:*:parameter/dotnet/role/app/*"},{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}""")).Ok();

        var userCredentials = new BasicAWSCredentials(user["AWS_ACCESS_KEY_ID"], user["AWS_SECRET_ACCESS_KEY"]);
        using var userSts = Sts(userCredentials);
        var caller = await userSts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("arn:aws:iam::000000000000:user/dotnet-deployer", caller.Arn);

        var assumed = await userSts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = "arn:aws:iam::000000000000:role/dotnet-app",
            RoleSessionName = "dotnet-session",
            DurationSeconds = 900,
        });
        Assert.Equal("arn:aws:sts::000000000000:assumed-role/dotnet-app/dotnet-session", assumed.AssumedRoleUser.Arn);
        Assert.False(string.IsNullOrEmpty(assumed.Credentials.SessionToken), "AssumeRole gave no session token");
        Assert.NotNull(assumed.Credentials.Expiration);

        var session = new SessionAWSCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken);
        using (var sessionSts = Sts(session))
        {
            Assert.Equal(assumed.AssumedRoleUser.Arn, (await sessionSts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);
        }

        using var sessionSsm = Ssm(session);
        var read = await sessionSsm.GetParameterAsync(new GetParameterRequest { Name = "/dotnet/role/app/key", WithDecryption = true });
        Assert.Equal("role-readable", read.Parameter.Value);

        // The same keys without their session token are refused, as AWS refuses them.
        using var tokenless = Ssm(new BasicAWSCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey));
        var unsigned = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => tokenless.GetParameterAsync(new GetParameterRequest { Name = "/dotnet/role/app/key" }));
        Assert.Equal("UnrecognizedClientException", unsigned.ErrorCode);
        Assert.Equal("The security token included in the request is invalid.", unsigned.Message);
    }

    [Fact]
    public async Task AccessDenied_is_an_AmazonServiceException_with_its_ErrorCode()
    {
        using (var rootSsm = Ssm(Root))
        {
            await rootSsm.PutParameterAsync(new PutParameterRequest { Name = "/dotnet/denied/secret", Value = "nope", Type = ParameterType.String });
        }

        var user = await cairn.UserWithPolicyAsync("dotnet-reader",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:*:*:parameter/dotnet/allowed/*"}]}""");
        using var ssm = Ssm(new BasicAWSCredentials(user["AWS_ACCESS_KEY_ID"], user["AWS_SECRET_ACCESS_KEY"]));

        AmazonServiceException error = await Assert.ThrowsAnyAsync<AmazonSimpleSystemsManagementException>(() =>
            ssm.GetParameterAsync(new GetParameterRequest { Name = "/dotnet/denied/secret" }));

        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("user/dotnet-reader is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:us-east-1:000000000000:parameter/dotnet/denied/secret",
            error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("nope", error.Message, StringComparison.Ordinal);
    }
}
