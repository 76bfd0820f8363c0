using System.Text.Json.Nodes;
using Cairn.Application.Parameters;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Services.Ssm;
using Cairn.Server.Tests.Kms;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Parameters;

namespace Cairn.Server.Tests.Ssm;

/// <summary>
/// SecureStrings under a customer key obey the key's policy as KMS does for SSM's calls (the key policy, then IAM):
/// real keys and policies in SQLite, IAM's answer from a recording authorizer that allows what a test does not deny.
/// </summary>
public sealed class SecureStringKeyPolicyTests : IDisposable
{
    private const string Account = KmsTestHost.Account;
    private const string RoleArn = $"arn:aws:iam::{Account}:role/build-role";

    private readonly KmsTestHost _kms = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-ssm-keypolicy-").FullName;
    private readonly SqliteDatabase _database;
    private readonly SsmService _ssm;
    private readonly ParameterService _parameters;

    public SecureStringKeyPolicyTests()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [SqliteParameterRepository.Migrations]);
        var repository = new SqliteParameterRepository(_database);
        var crypto = new ParameterCrypto(_kms.Keys, _kms.Authorizer);
        _parameters = new ParameterService(repository, crypto, _kms.Authorizer, TimeProvider.System);
        _ssm = new SsmService(repository, _parameters, crypto, _kms.Authorizer, TimeProvider.System);
    }

    private static RequestContext BuildRole =>
        new(new Principal(PrincipalKind.AssumedRole, Account, $"arn:aws:sts::{Account}:assumed-role/build-role/build-1", "AROAEXAMPLE:build-1", "build-role", "build-1"),
            KmsTestHost.Region, Guid.NewGuid().ToString(), null, DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_key_policy_deny_refuses_GetParameter_WithDecryption_with_KMS_text_and_allows_other_users()
    {
        var denied = KmsTestHost.User("intern");
        var keyId = await KeyWithPolicyAsync($$"""
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"kms:*","Resource":"*"},
            {"Effect":"Deny","Principal":{"AWS":"{{denied.Principal.Arn}}"},"Action":"kms:Decrypt","Resource":"*"}
            """);
        await PutSecureAsync("/app/db-password", "Hunter2!", keyId);

        var error = await FailsAsync(denied, "GetParameter", """{"Name":"/app/db-password","WithDecryption":true}""");

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.StartsWith(
            $"User: {denied.Principal.Arn} is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:{Account}:key/{keyId} with an explicit deny in a resource-based policy (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException;",
            error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Hunter2!", error.Message, StringComparison.Ordinal);

        // The ciphertext stays readable without decryption; another user of the account decrypts through IAM.
        var encrypted = await CallAsync(denied, "GetParameter", """{"Name":"/app/db-password"}""");
        Assert.NotEqual("Hunter2!", encrypted["Parameter"]!["Value"]!.GetValue<string>());
        var allowed = await CallAsync(KmsTestHost.User("dev"), "GetParameter", """{"Name":"/app/db-password","WithDecryption":true}""");
        Assert.Equal("Hunter2!", allowed["Parameter"]!["Value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_key_policy_that_does_not_allow_the_caller_refuses_PutParameter_and_decryption()
    {
        var admin = KmsTestHost.User("admin");
        var keyId = await KeyWithPolicyAsync($$"""
            {"Effect":"Allow","Principal":{"AWS":"{{admin.Principal.Arn}}"},"Action":"kms:*","Resource":"*"}
            """);
        var other = KmsTestHost.User("dev");

        var put = await FailsAsync(other, "PutParameter", $$"""{"Name":"/app/token","Value":"t0ken","Type":"SecureString","KeyId":"{{keyId}}"}""");
        Assert.Equal("AccessDeniedException", put.Code);
        Assert.Contains("is not authorized to perform: kms:Encrypt on resource: arn:aws:kms:", put.Message, StringComparison.Ordinal);
        Assert.Contains("because no resource-based policy allows the kms:Encrypt action (Service: AWSKMS;", put.Message, StringComparison.Ordinal);

        // The user the policy names needs no identity-based Allow: the key policy grants it directly.
        await CallAsync(admin, "PutParameter", $$"""{"Name":"/app/token","Value":"t0ken","Type":"SecureString","KeyId":"{{keyId}}"}""");
        var read = await CallAsync(admin, "GetParameter", """{"Name":"/app/token","WithDecryption":true}""");
        Assert.Equal("t0ken", read["Parameter"]!["Value"]!.GetValue<string>());
        Assert.Contains("kms:Decrypt", _kms.Authorizer.AllowedByResourcePolicy);

        var get = await FailsAsync(other, "GetParameters", """{"Names":["/app/token"],"WithDecryption":true}""");
        Assert.Equal("AccessDeniedException", get.Code);
        Assert.Contains("because no resource-based policy allows the kms:Decrypt action", get.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_policy_condition_on_kms_ViaService_allows_SSM_but_not_direct_Decrypt()
    {
        var dev = KmsTestHost.User("dev");
        var keyId = await KeyWithPolicyAsync($$"""
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"kms:Encrypt","Resource":"*"},
            {"Effect":"Allow","Principal":{"AWS":"{{dev.Principal.Arn}}"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"ssm.us-east-1.amazonaws.com"} } }
            """);
        await PutSecureAsync("/app/api-key", "k3y", keyId);

        var read = await CallAsync(dev, "GetParameter", """{"Name":"/app/api-key","WithDecryption":true}""");
        Assert.Equal("k3y", read["Parameter"]!["Value"]!.GetValue<string>());

        var blob = (await _kms.InvokeAsync("Encrypt", new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = "AQID" }))["CiphertextBlob"]!.DeepClone();
        var direct = await _kms.FailAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = blob }, dev);
        Assert.Equal("AccessDeniedException", direct.Code);
        Assert.EndsWith("because no resource-based policy allows the kms:Decrypt action", direct.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_builds_role_denied_by_the_key_policy_cannot_read_the_SecureString()
    {
        var keyId = await KeyWithPolicyAsync($$"""
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"kms:*","Resource":"*"},
            {"Effect":"Deny","Principal":{"AWS":"{{RoleArn}}"},"Action":"kms:Decrypt","Resource":"*"}
            """);
        await PutSecureAsync("/ci/registry-password", "s3cret", keyId);
        await PutSecureAsync("/ci/default-key", "plain-default");

        var error = await Assert.ThrowsAsync<AwsException>(() =>
            _parameters.GetParametersAsync(BuildRole, ["/ci/registry-password"], withDecryption: true, CancellationToken.None));

        Assert.True(error.IsAccessDenied);
        Assert.Contains("assumed-role/build-role/build-1 is not authorized to perform: kms:Decrypt", error.Message, StringComparison.Ordinal);
        Assert.Contains("with an explicit deny in a resource-based policy", error.Message, StringComparison.Ordinal);
        var read = await _parameters.GetParametersAsync(BuildRole, ["/ci/default-key"], withDecryption: true, CancellationToken.None);
        Assert.Equal("plain-default", Assert.Single(read.Found).Value);
    }

    [Fact]
    public async Task The_aws_managed_key_keeps_working_for_every_user_without_an_identity_based_kms_allow()
    {
        await PutSecureAsync("/app/managed", "m4naged");
        var dev = KmsTestHost.User("dev");

        var read = await CallAsync(dev, "GetParameter", """{"Name":"/app/managed","WithDecryption":true}""");

        Assert.Equal("m4naged", read["Parameter"]!["Value"]!.GetValue<string>());
        Assert.Contains("kms:Decrypt", _kms.Authorizer.AllowedByResourcePolicy);
        Assert.Contains("kms:Encrypt", _kms.Authorizer.AllowedByResourcePolicy);
    }

    private async Task<string> KeyWithPolicyAsync(string statements)
    {
        var policy = $$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""";
        var created = await _kms.InvokeAsync("CreateKey", new JsonObject { ["Policy"] = policy, ["BypassPolicyLockoutSafetyCheck"] = true });
        return created["KeyMetadata"]!["KeyId"]!.GetValue<string>();
    }

    private Task<JsonObject> PutSecureAsync(string name, string value, string? keyId = null) =>
        CallAsync(KmsTestHost.Root(), "PutParameter",
            $$"""{"Name":"{{name}}","Value":"{{value}}","Type":"SecureString"{{(keyId is null ? "" : $",\"KeyId\":\"{keyId}\"")}}}""");

    private Task<JsonObject> CallAsync(RequestContext context, string operation, string json) =>
        _ssm.InvokeAsync(operation, (JsonObject)JsonNode.Parse(json)!, context, CancellationToken.None);

    private async Task<AwsException> FailsAsync(RequestContext context, string operation, string json) =>
        await Assert.ThrowsAsync<AwsException>(() => CallAsync(context, operation, json));

    public void Dispose()
    {
        _database.Dispose();
        _kms.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
