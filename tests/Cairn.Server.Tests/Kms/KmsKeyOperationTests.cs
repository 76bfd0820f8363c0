using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.Kms;

public sealed class KmsKeyOperationTests : IDisposable
{
    private readonly KmsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Create_key_returns_an_enabled_symmetric_customer_managed_key()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;

        var metadata = await _host.CreateKeyAsync("app secrets");

        var keyId = metadata["KeyId"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", keyId);
        Assert.Equal($"arn:aws:kms:us-east-1:111122223333:key/{keyId}", metadata["Arn"]!.GetValue<string>());
        Assert.Equal("111122223333", metadata["AWSAccountId"]!.GetValue<string>());
        Assert.Equal("app secrets", metadata["Description"]!.GetValue<string>());
        Assert.True(metadata["Enabled"]!.GetValue<bool>());
        Assert.Equal("Enabled", metadata["KeyState"]!.GetValue<string>());
        Assert.Equal("ENCRYPT_DECRYPT", metadata["KeyUsage"]!.GetValue<string>());
        Assert.Equal("SYMMETRIC_DEFAULT", metadata["KeySpec"]!.GetValue<string>());
        Assert.Equal("SYMMETRIC_DEFAULT", metadata["CustomerMasterKeySpec"]!.GetValue<string>());
        Assert.Equal("CUSTOMER", metadata["KeyManager"]!.GetValue<string>());
        Assert.Equal("AWS_KMS", metadata["Origin"]!.GetValue<string>());
        Assert.Equal("SYMMETRIC_DEFAULT", metadata["EncryptionAlgorithms"]![0]!.GetValue<string>());
        Assert.InRange(metadata["CreationDate"]!.GetValue<double>(), before, before + 60);
    }

    [Fact]
    public async Task Create_key_is_authorized_as_kms_CreateKey_on_every_resource()
    {
        await _host.CreateKeyAsync();

        Assert.Contains(("kms:CreateKey", "*"), _host.Authorizer.Calls);
    }

    [Fact]
    public async Task Create_key_without_permission_is_AccessDenied()
    {
        _host.Authorizer.Denied.Add("kms:CreateKey");

        var error = await _host.FailAsync("CreateKey", [], KmsTestHost.User());

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Contains("kms:CreateKey", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KeySpec", "ML_DSA_44")]
    [InlineData("KeySpec", "ECC_NIST_EDWARDS25519")]
    [InlineData("Origin", "EXTERNAL")]
    public async Task Create_key_Cairn_does_not_serve_is_UnsupportedOperation(string member, string value)
    {
        var error = await _host.FailAsync("CreateKey", new JsonObject { [member] = value });

        Assert.Equal("UnsupportedOperationException", error.Code);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_key_with_an_unknown_key_usage_is_a_ValidationException_listing_the_values()
    {
        var error = await _host.FailAsync("CreateKey", new JsonObject { ["KeyUsage"] = "RANDOM" });

        Assert.Equal("ValidationException", error.Code);
        Assert.Equal(
            "1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [SIGN_VERIFY, ENCRYPT_DECRYPT, GENERATE_VERIFY_MAC, KEY_AGREEMENT]",
            error.Message);
    }

    [Fact]
    public async Task Create_key_with_an_aws_prefixed_tag_is_TagException()
    {
        var error = await _host.FailAsync("CreateKey", new JsonObject
        {
            ["Tags"] = new JsonArray(new JsonObject { ["TagKey"] = "aws:owner", ["TagValue"] = "me" }),
        });

        Assert.Equal("TagException", error.Code);
        Assert.Equal("Tags beginning with aws: are reserved", error.Message);
    }

    [Fact]
    public async Task Create_key_with_a_policy_that_is_not_json_is_MalformedPolicyDocument()
    {
        var error = await _host.FailAsync("CreateKey", new JsonObject { ["Policy"] = "{not json" });

        Assert.Equal("MalformedPolicyDocumentException", error.Code);
    }

    [Fact]
    public async Task Create_key_with_an_unknown_key_spec_and_a_policy_that_is_not_json_is_a_ValidationException_about_the_key_spec()
    {
        var error = await _host.FailAsync("CreateKey", new JsonObject { ["Policy"] = "{not json", ["KeySpec"] = "AES_999" });

        Assert.Equal("ValidationException", error.Code);
        Assert.StartsWith("1 validation error detected: Value 'AES_999' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_key_with_a_too_long_description_is_a_ValidationException()
    {
        var error = await _host.FailAsync("CreateKey", new JsonObject { ["Description"] = new string('d', 8193) });

        Assert.Equal("ValidationException", error.Code);
        Assert.EndsWith("at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_key_finds_the_key_by_id_arn_alias_and_alias_arn()
    {
        var metadata = await _host.CreateKeyAsync();
        var keyId = metadata["KeyId"]!.GetValue<string>();
        await _host.InvokeAsync("CreateAlias", new JsonObject { ["AliasName"] = "alias/app", ["TargetKeyId"] = keyId });

        foreach (var name in new[] { keyId, metadata["Arn"]!.GetValue<string>(), "alias/app", "arn:aws:kms:us-east-1:111122223333:alias/app" })
        {
            var described = await _host.InvokeAsync("DescribeKey", new JsonObject { ["KeyId"] = name });

            Assert.Equal(keyId, described["KeyMetadata"]!["KeyId"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Describe_key_is_authorized_as_kms_DescribeKey_on_the_key_arn()
    {
        var metadata = await _host.CreateKeyAsync();

        await _host.InvokeAsync("DescribeKey", new JsonObject { ["KeyId"] = metadata["KeyId"]!.DeepClone() });

        Assert.Contains(("kms:DescribeKey", metadata["Arn"]!.GetValue<string>()), _host.Authorizer.Calls);
    }

    [Fact]
    public async Task Describe_key_without_permission_is_AccessDenied()
    {
        var metadata = await _host.CreateKeyAsync();
        _host.Authorizer.Denied.Add("kms:DescribeKey");

        var error = await _host.FailAsync("DescribeKey", new JsonObject { ["KeyId"] = metadata["KeyId"]!.DeepClone() }, KmsTestHost.User());

        Assert.Equal("AccessDeniedException", error.Code);
    }

    [Fact]
    public async Task Describe_key_of_an_unknown_key_id_is_NotFound_with_the_key_arn()
    {
        var error = await _host.FailAsync("DescribeKey", new JsonObject { ["KeyId"] = "1234abcd-12ab-34cd-56ef-1234567890ab" });

        Assert.Equal("NotFoundException", error.Code);
        Assert.Equal("Key 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist", error.Message);
    }

    [Fact]
    public async Task Describe_key_of_a_malformed_key_id_is_NotFound_invalid_keyId()
    {
        var error = await _host.FailAsync("DescribeKey", new JsonObject { ["KeyId"] = "fake-key-id" });

        Assert.Equal("NotFoundException", error.Code);
        Assert.Equal("Invalid keyId 'fake-key-id'", error.Message);
    }

    [Fact]
    public async Task Describe_key_by_an_arn_of_another_region_is_NotFound_invalid_arn()
    {
        var metadata = await _host.CreateKeyAsync();
        var arn = metadata["Arn"]!.GetValue<string>().Replace("us-east-1", "eu-west-1", StringComparison.Ordinal);

        var error = await _host.FailAsync("DescribeKey", new JsonObject { ["KeyId"] = arn });

        Assert.Equal("NotFoundException", error.Code);
        Assert.Equal("Invalid arn eu-west-1", error.Message);
    }

    [Fact]
    public async Task Keys_are_regional_a_key_id_from_another_region_does_not_exist()
    {
        var metadata = await _host.CreateKeyAsync();
        var keyId = metadata["KeyId"]!.GetValue<string>();

        var error = await _host.FailAsync("DescribeKey", new JsonObject { ["KeyId"] = keyId }, KmsTestHost.Root("eu-west-1"));

        Assert.Equal("NotFoundException", error.Code);
        Assert.Equal($"Key 'arn:aws:kms:eu-west-1:111122223333:key/{keyId}' does not exist", error.Message);
    }

    [Fact]
    public async Task Keys_belong_to_their_account()
    {
        var metadata = await _host.CreateKeyAsync();

        var error = await _host.FailAsync("DescribeKey", new JsonObject { ["KeyId"] = metadata["KeyId"]!.DeepClone() }, KmsTestHost.Root(account: "444455556666"));

        Assert.Equal("NotFoundException", error.Code);
    }

    [Fact]
    public async Task Describe_key_of_an_unknown_alias_is_NotFound_with_the_alias_arn()
    {
        var error = await _host.FailAsync("DescribeKey", new JsonObject { ["KeyId"] = "alias/nope" });

        Assert.Equal("NotFoundException", error.Code);
        Assert.Equal("Alias arn:aws:kms:us-east-1:111122223333:alias/nope is not found.", error.Message);
    }

    [Fact]
    public async Task Describe_key_without_a_key_id_is_a_ValidationException()
    {
        var error = await _host.FailAsync("DescribeKey", []);

        Assert.Equal("ValidationException", error.Code);
        Assert.Equal("1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null", error.Message);
    }

    [Fact]
    public async Task Describe_key_with_a_number_for_key_id_is_a_SerializationException()
    {
        var error = await _host.FailAsync("DescribeKey", new JsonObject { ["KeyId"] = 5 });

        Assert.Equal("SerializationException", error.Code);
    }

    [Fact]
    public async Task Describe_key_of_alias_aws_ssm_shows_the_AWS_managed_key_created_on_first_use()
    {
        var described = await _host.InvokeAsync("DescribeKey", new JsonObject { ["KeyId"] = "alias/aws/ssm" });

        var metadata = described["KeyMetadata"]!;
        Assert.Equal("AWS", metadata["KeyManager"]!.GetValue<string>());
        Assert.Equal("Default key that protects my SSM parameters when no other key is defined", metadata["Description"]!.GetValue<string>());
        Assert.Equal("Enabled", metadata["KeyState"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_keys_returns_the_keys_of_the_region_only()
    {
        var here = await _host.CreateKeyAsync();
        var elsewhere = await _host.CreateKeyAsync(context: KmsTestHost.Root("eu-west-1"));

        var listed = await _host.InvokeAsync("ListKeys", []);

        var ids = listed["Keys"]!.AsArray().Select(k => k!["KeyId"]!.GetValue<string>()).ToList();
        Assert.Contains(here["KeyId"]!.GetValue<string>(), ids);
        Assert.DoesNotContain(elsewhere["KeyId"]!.GetValue<string>(), ids);
        Assert.False(listed["Truncated"]!.GetValue<bool>());
        Assert.Null(listed["NextMarker"]);
        Assert.Equal(here["Arn"]!.GetValue<string>(), listed["Keys"]![0]!["KeyArn"]!.GetValue<string>());
        Assert.Contains(("kms:ListKeys", "*"), _host.Authorizer.Calls);
    }

    [Fact]
    public async Task List_keys_pages_through_every_key_once()
    {
        var created = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await _host.CreateKeyAsync())["KeyId"]!.GetValue<string>());
        }

        var seen = new List<string>();
        string? marker = null;
        var pages = 0;
        do
        {
            var input = new JsonObject { ["Limit"] = 2 };
            if (marker is not null)
            {
                input["Marker"] = marker;
            }

            var page = await _host.InvokeAsync("ListKeys", input);
            seen.AddRange(page["Keys"]!.AsArray().Select(k => k!["KeyId"]!.GetValue<string>()));
            marker = page["NextMarker"]?.GetValue<string>();
            Assert.Equal(marker is not null, page["Truncated"]!.GetValue<bool>());
            pages++;
        }
        while (marker is not null);

        Assert.Equal(3, pages);
        Assert.Equal(created.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task List_keys_with_a_made_up_marker_is_InvalidMarkerException()
    {
        var error = await _host.FailAsync("ListKeys", new JsonObject { ["Marker"] = "!!!" });

        Assert.Equal("InvalidMarkerException", error.Code);
    }

    [Theory]
    [InlineData(0, "greater than or equal to 1")]
    [InlineData(1001, "less than or equal to 1000")]
    public async Task List_keys_with_a_limit_out_of_range_is_a_ValidationException(int limit, string constraint)
    {
        var error = await _host.FailAsync("ListKeys", new JsonObject { ["Limit"] = limit });

        Assert.Equal("ValidationException", error.Code);
        Assert.Equal($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value {constraint}", error.Message);
    }

    [Fact]
    public async Task Disable_key_then_describe_shows_it_disabled_and_enable_restores_it()
    {
        var keyId = (await _host.CreateKeyAsync())["KeyId"]!.GetValue<string>();

        Assert.Empty(await _host.InvokeAsync("DisableKey", new JsonObject { ["KeyId"] = keyId }));
        var disabled = (await _host.InvokeAsync("DescribeKey", new JsonObject { ["KeyId"] = keyId }))["KeyMetadata"]!;
        Assert.False(disabled["Enabled"]!.GetValue<bool>());
        Assert.Equal("Disabled", disabled["KeyState"]!.GetValue<string>());

        await _host.InvokeAsync("DisableKey", new JsonObject { ["KeyId"] = keyId });
        Assert.Empty(await _host.InvokeAsync("EnableKey", new JsonObject { ["KeyId"] = keyId }));
        var enabled = (await _host.InvokeAsync("DescribeKey", new JsonObject { ["KeyId"] = keyId }))["KeyMetadata"]!;
        Assert.Equal("Enabled", enabled["KeyState"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("EnableKey", "kms:EnableKey")]
    [InlineData("DisableKey", "kms:DisableKey")]
    public async Task Enable_and_disable_key_are_authorized_on_the_key_arn(string operation, string action)
    {
        var metadata = await _host.CreateKeyAsync();
        _host.Authorizer.Denied.Add(action);

        var error = await _host.FailAsync(operation, new JsonObject { ["KeyId"] = metadata["Arn"]!.DeepClone() }, KmsTestHost.User());

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Contains((action, metadata["Arn"]!.GetValue<string>()), _host.Authorizer.Calls);
    }

    [Fact]
    public async Task Disable_key_by_alias_is_NotFound_because_it_takes_key_ids_only()
    {
        var keyId = (await _host.CreateKeyAsync())["KeyId"]!.GetValue<string>();
        await _host.InvokeAsync("CreateAlias", new JsonObject { ["AliasName"] = "alias/app", ["TargetKeyId"] = keyId });

        var error = await _host.FailAsync("DisableKey", new JsonObject { ["KeyId"] = "alias/app" });

        Assert.Equal("NotFoundException", error.Code);
        Assert.Equal("Invalid keyId 'alias/app'", error.Message);
    }

    [Fact]
    public async Task Disable_key_of_an_unknown_key_is_NotFound()
    {
        var error = await _host.FailAsync("DisableKey", new JsonObject { ["KeyId"] = "1234abcd-12ab-34cd-56ef-1234567890ab" });

        Assert.Equal("NotFoundException", error.Code);
    }

    [Fact]
    public async Task The_AWS_managed_key_cannot_be_disabled_its_policy_allows_no_one()
    {
        var keyArn = (await _host.InvokeAsync("DescribeKey", new JsonObject { ["KeyId"] = "alias/aws/ssm" }))["KeyMetadata"]!["Arn"]!.GetValue<string>();

        var error = await _host.FailAsync("DisableKey", new JsonObject { ["KeyId"] = keyArn });

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Equal(
            $"User: arn:aws:iam::111122223333:root is not authorized to perform: kms:DisableKey on resource: {keyArn} because no resource-based policy allows the kms:DisableKey action",
            error.Message);
    }

    [Fact]
    public async Task An_operation_KMS_has_but_Cairn_does_not_is_UnknownOperation()
    {
        var error = await _host.FailAsync("CreateGrant", new JsonObject { ["KeyId"] = "x" });

        Assert.Equal("UnknownOperationException", error.Code);
    }
}
