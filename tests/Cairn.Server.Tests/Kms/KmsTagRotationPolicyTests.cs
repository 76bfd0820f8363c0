using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.Kms;

/// <summary>Tags, rotation (old material still decrypts), ReEncrypt and key policies (stored, enforced before IAM).</summary>
public sealed class KmsTagRotationPolicyTests : IDisposable
{
    private readonly KmsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private async Task<string> KeyIdAsync() => (await _host.CreateKeyAsync())["KeyId"]!.GetValue<string>();

    private static JsonObject Key(string keyId) => new() { ["KeyId"] = keyId };

    private static JsonArray Tags(params (string Key, string Value)[] tags) =>
        new(tags.Select(t => (JsonNode)new JsonObject { ["TagKey"] = t.Key, ["TagValue"] = t.Value }).ToArray());

    private async Task<string> EncryptAsync(string keyId, byte[] plaintext) =>
        (await _host.InvokeAsync("Encrypt", new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = Convert.ToBase64String(plaintext) }))["CiphertextBlob"]!.GetValue<string>();

    private async Task<byte[]> DecryptAsync(string blob) =>
        Convert.FromBase64String((await _host.InvokeAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = blob }))["Plaintext"]!.GetValue<string>());

    [Fact]
    public async Task Tag_resource_adds_and_replaces_tags_and_untag_removes_them()
    {
        var keyId = await KeyIdAsync();

        await _host.InvokeAsync("TagResource", new JsonObject { ["KeyId"] = keyId, ["Tags"] = Tags(("team", "build"), ("env", "dev")) });
        await _host.InvokeAsync("TagResource", new JsonObject { ["KeyId"] = keyId, ["Tags"] = Tags(("env", "prod")) });
        await _host.InvokeAsync("UntagResource", new JsonObject { ["KeyId"] = keyId, ["TagKeys"] = new JsonArray("team", "absent") });

        var tags = (await _host.InvokeAsync("ListResourceTags", Key(keyId)))["Tags"]!.AsArray();
        Assert.Equal("env=prod", string.Join(",", tags.Select(t => $"{t!["TagKey"]}={t["TagValue"]}")));
    }

    [Fact]
    public async Task Create_key_tags_are_listed()
    {
        var metadata = (JsonObject)(await _host.InvokeAsync("CreateKey", new JsonObject { ["Tags"] = Tags(("owner", "ci")) }))["KeyMetadata"]!;

        var tags = (await _host.InvokeAsync("ListResourceTags", Key(metadata["KeyId"]!.GetValue<string>())))["Tags"]!.AsArray();

        Assert.Equal("ci", tags.Single()!["TagValue"]!.GetValue<string>());
    }

    [Fact]
    public async Task More_than_50_tags_on_a_key_is_LimitExceeded()
    {
        var keyId = await KeyIdAsync();
        await _host.InvokeAsync("TagResource", new JsonObject { ["KeyId"] = keyId, ["Tags"] = Tags(Enumerable.Range(0, 50).Select(i => ($"k{i}", "v")).ToArray()) });

        var error = await _host.FailAsync("TagResource", new JsonObject { ["KeyId"] = keyId, ["Tags"] = Tags(("one-more", "v")) });

        Assert.Equal("LimitExceededException", error.Code);
        Assert.Contains("at most 50 tags", error.Message, StringComparison.Ordinal);
        Assert.Equal(50, (await _host.InvokeAsync("ListResourceTags", Key(keyId)))["Tags"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("TagResource")]
    [InlineData("UntagResource")]
    public async Task Aws_prefixed_tag_keys_are_TagException(string operation)
    {
        var keyId = await KeyIdAsync();
        var input = new JsonObject { ["KeyId"] = keyId };
        if (operation == "TagResource")
        {
            input["Tags"] = Tags(("aws:x", "v"));
        }
        else
        {
            input["TagKeys"] = new JsonArray("aws:x");
        }

        var error = await _host.FailAsync(operation, input);

        Assert.Equal("TagException", error.Code);
        Assert.Equal("Tags beginning with aws: are reserved", error.Message);
    }

    [Fact]
    public async Task Rotation_on_demand_adds_material_and_ciphertext_under_old_material_still_decrypts()
    {
        var keyId = await KeyIdAsync();
        var before = await EncryptAsync(keyId, [1, 1]);

        await _host.InvokeAsync("RotateKeyOnDemand", Key(keyId));
        var after = await EncryptAsync(keyId, [2, 2]);

        Assert.Equal(1, Convert.FromBase64String(before)[0]);
        Assert.Equal(2, Convert.FromBase64String(after)[0]);
        Assert.Equal([1, 1], await DecryptAsync(before));
        Assert.Equal([2, 2], await DecryptAsync(after));
        var rotations = (await _host.InvokeAsync("ListKeyRotations", Key(keyId)))["Rotations"]!.AsArray();
        Assert.Equal("ON_DEMAND", rotations.Single()!["RotationType"]!.GetValue<string>());
        Assert.Equal(64, rotations.Single()!["KeyMaterialId"]!.GetValue<string>().Length);
        Assert.Equal(rotations.Single()!["KeyMaterialId"]!.GetValue<string>(),
            (await _host.InvokeAsync("DescribeKey", Key(keyId)))["KeyMetadata"]!["CurrentKeyMaterialId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Automatic_rotation_adds_material_when_its_date_passes()
    {
        var keyId = await KeyIdAsync();
        var before = await EncryptAsync(keyId, [7]);
        await _host.InvokeAsync("EnableKeyRotation", new JsonObject { ["KeyId"] = keyId, ["RotationPeriodInDays"] = 90 });
        var status = await _host.InvokeAsync("GetKeyRotationStatus", Key(keyId));
        Assert.True(status["KeyRotationEnabled"]!.GetValue<bool>());
        Assert.Equal(90, status["RotationPeriodInDays"]!.GetValue<int>());

        _host.Clock.Advance(TimeSpan.FromDays(90));
        var after = await EncryptAsync(keyId, [8]);

        Assert.Equal(2, Convert.FromBase64String(after)[0]);
        Assert.Equal([7], await DecryptAsync(before));
        Assert.Equal("AUTOMATIC", (await _host.InvokeAsync("ListKeyRotations", Key(keyId)))["Rotations"]!.AsArray().Single()!["RotationType"]!.GetValue<string>());
        await _host.InvokeAsync("DisableKeyRotation", Key(keyId));
        Assert.False((await _host.InvokeAsync("GetKeyRotationStatus", Key(keyId)))["KeyRotationEnabled"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(89)]
    [InlineData(2561)]
    public async Task A_rotation_period_outside_90_to_2560_days_is_a_ValidationException(int days)
    {
        var keyId = await KeyIdAsync();

        var error = await _host.FailAsync("EnableKeyRotation", new JsonObject { ["KeyId"] = keyId, ["RotationPeriodInDays"] = days });

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains("at 'rotationPeriodInDays' failed to satisfy constraint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotating_a_disabled_key_is_DisabledException()
    {
        var keyId = await KeyIdAsync();
        await _host.InvokeAsync("DisableKey", Key(keyId));

        Assert.Equal("DisabledException", (await _host.FailAsync("RotateKeyOnDemand", Key(keyId))).Code);
        Assert.Equal("DisabledException", (await _host.FailAsync("EnableKeyRotation", Key(keyId))).Code);
    }

    [Fact]
    public async Task Re_encrypt_moves_ciphertext_to_another_key_authorized_from_and_to()
    {
        var source = await KeyIdAsync();
        var destination = await KeyIdAsync();
        var blob = await EncryptAsync(source, [4, 2]);

        var result = await _host.InvokeAsync("ReEncrypt", new JsonObject
        {
            ["CiphertextBlob"] = blob,
            ["DestinationKeyId"] = destination,
            ["DestinationEncryptionContext"] = new JsonObject { ["purpose"] = "moved" },
        });

        Assert.EndsWith(":key/" + source, result["SourceKeyId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith(":key/" + destination, result["KeyId"]!.GetValue<string>(), StringComparison.Ordinal);
        var decrypted = await _host.InvokeAsync("Decrypt", new JsonObject
        {
            ["CiphertextBlob"] = result["CiphertextBlob"]!.GetValue<string>(),
            ["EncryptionContext"] = new JsonObject { ["purpose"] = "moved" },
        });
        Assert.Equal(Convert.ToBase64String([4, 2]), decrypted["Plaintext"]!.GetValue<string>());
        var arn = $"arn:aws:kms:us-east-1:{KmsTestHost.Account}:key/";
        Assert.Contains(("kms:ReEncryptFrom", arn + source), _host.Authorizer.Calls);
        Assert.Contains(("kms:ReEncryptTo", arn + destination), _host.Authorizer.Calls);
    }

    [Fact]
    public async Task A_key_without_a_policy_has_AWSs_default_policy()
    {
        var keyId = await KeyIdAsync();

        var policy = await _host.InvokeAsync("GetKeyPolicy", Key(keyId));

        Assert.Equal("default", policy["PolicyName"]!.GetValue<string>());
        var statement = JsonNode.Parse(policy["Policy"]!.GetValue<string>())!["Statement"]![0]!;
        Assert.Equal($"arn:aws:iam::{KmsTestHost.Account}:root", statement["Principal"]!["AWS"]!.GetValue<string>());
        Assert.Equal("kms:*", statement["Action"]!.GetValue<string>());
        Assert.Equal("default", (await _host.InvokeAsync("ListKeyPolicies", Key(keyId)))["PolicyNames"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_key_policy_deny_refuses_what_IAM_allows()
    {
        var keyId = await KeyIdAsync();
        var user = KmsTestHost.User();
        var policy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{KmsTestHost.Account}}:root"},"Action":"kms:*","Resource":"*"},
              {"Sid":"NoDecrypt","Effect":"Deny","Principal":{"AWS":"{{user.Principal.Arn}}"},"Action":"kms:Decrypt","Resource":"*"}]}
            """;
        await _host.InvokeAsync("PutKeyPolicy", new JsonObject { ["KeyId"] = keyId, ["Policy"] = policy });
        var blob = await EncryptAsync(keyId, [5]);

        var error = await _host.FailAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = blob }, user);

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.EndsWith("with an explicit deny in a resource-based policy", error.Message, StringComparison.Ordinal);
        Assert.Equal(policy, (await _host.InvokeAsync("GetKeyPolicy", Key(keyId)))["Policy"]!.GetValue<string>());
        await _host.InvokeAsync("Encrypt", new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = "AQ==" }, user);
    }

    [Fact]
    public async Task A_key_policy_that_allows_neither_the_caller_nor_the_account_refuses_it()
    {
        var user = KmsTestHost.User("other");
        var policy = $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{KmsTestHost.Account}}:user/admin"},"Action":"kms:*","Resource":"*"}]}
            """;
        var keyId = (await _host.InvokeAsync("CreateKey", new JsonObject { ["Policy"] = policy, ["BypassPolicyLockoutSafetyCheck"] = true }))["KeyMetadata"]!["KeyId"]!.GetValue<string>();

        var error = await _host.FailAsync("DescribeKey", Key(keyId), user);

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.EndsWith("because no resource-based policy allows the kms:DescribeKey action", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_policy_allowing_the_caller_directly_needs_no_IAM_allow()
    {
        var user = KmsTestHost.User();
        var policy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{KmsTestHost.Account}}:root"},"Action":"kms:*","Resource":"*"},
              {"Effect":"Allow","Principal":{"AWS":"{{user.Principal.Arn}}"},"Action":"kms:DescribeKey","Resource":"*"}]}
            """;
        var keyId = (await _host.InvokeAsync("CreateKey", new JsonObject { ["Policy"] = policy }))["KeyMetadata"]!["KeyId"]!.GetValue<string>();

        await _host.InvokeAsync("DescribeKey", Key(keyId), user);

        Assert.Contains(("kms:DescribeKey", $"arn:aws:kms:us-east-1:{KmsTestHost.Account}:key/{keyId}"), _host.Authorizer.Calls);
        Assert.Contains("kms:DescribeKey", _host.Authorizer.AllowedByResourcePolicy);
    }

    [Fact]
    public async Task Put_key_policy_that_would_lock_the_caller_out_is_refused_unless_bypassed()
    {
        var keyId = await KeyIdAsync();
        var policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"kms:*","Resource":"*"}]}""";

        var error = await _host.FailAsync("PutKeyPolicy", new JsonObject { ["KeyId"] = keyId, ["Policy"] = policy });

        Assert.Equal("MalformedPolicyDocumentException", error.Code);
        Assert.Equal("The new key policy will not allow you to update the key policy in the future.", error.Message);
        await _host.InvokeAsync("PutKeyPolicy", new JsonObject { ["KeyId"] = keyId, ["Policy"] = policy, ["BypassPolicyLockoutSafetyCheck"] = true });
    }

    [Fact]
    public async Task Put_key_policy_without_a_principal_is_MalformedPolicyDocument()
    {
        var keyId = await KeyIdAsync();

        var error = await _host.FailAsync("PutKeyPolicy", new JsonObject
        {
            ["KeyId"] = keyId,
            ["Policy"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}""",
        });

        Assert.Equal("MalformedPolicyDocumentException", error.Code);
        Assert.Contains("Missing required field Principal", error.Message, StringComparison.Ordinal);
    }
}
