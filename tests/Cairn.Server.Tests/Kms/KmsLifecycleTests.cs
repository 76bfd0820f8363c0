using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.Kms;

/// <summary>ScheduleKeyDeletion, CancelKeyDeletion, UpdateKeyDescription, UpdateAlias, DeleteAlias, GenerateRandom.</summary>
public sealed class KmsLifecycleTests : IDisposable
{
    private readonly KmsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private async Task<string> KeyIdAsync() => (await _host.CreateKeyAsync())["KeyId"]!.GetValue<string>();

    private static JsonObject Key(string keyId) => new() { ["KeyId"] = keyId };

    private static JsonObject Encrypt(string keyId) => new() { ["KeyId"] = keyId, ["Plaintext"] = Convert.ToBase64String([1, 2, 3]) };

    [Fact]
    public async Task Schedule_key_deletion_defaults_to_30_days_and_shows_PendingDeletion()
    {
        var keyId = await KeyIdAsync();

        var scheduled = await _host.InvokeAsync("ScheduleKeyDeletion", Key(keyId));

        var expected = _host.Clock.GetUtcNow().AddDays(30).ToUnixTimeMilliseconds() / 1000.0;
        Assert.EndsWith(":key/" + keyId, scheduled["KeyId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("PendingDeletion", scheduled["KeyState"]!.GetValue<string>());
        Assert.Equal(30, scheduled["PendingWindowInDays"]!.GetValue<int>());
        Assert.Equal(expected, scheduled["DeletionDate"]!.GetValue<double>());
        var metadata = (await _host.InvokeAsync("DescribeKey", Key(keyId)))["KeyMetadata"]!;
        Assert.Equal("PendingDeletion", metadata["KeyState"]!.GetValue<string>());
        Assert.False(metadata["Enabled"]!.GetValue<bool>());
        Assert.Equal(expected, metadata["DeletionDate"]!.GetValue<double>());
        Assert.Equal(30, metadata["PendingDeletionWindowInDays"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(6, "Member must have value greater than or equal to 7")]
    [InlineData(31, "Member must have value less than or equal to 30")]
    public async Task Schedule_key_deletion_outside_7_to_30_days_is_a_ValidationException(int days, string constraint)
    {
        var keyId = await KeyIdAsync();

        var error = await _host.FailAsync("ScheduleKeyDeletion", new JsonObject { ["KeyId"] = keyId, ["PendingWindowInDays"] = days });

        Assert.Equal("ValidationException", error.Code);
        Assert.Equal($"1 validation error detected: Value '{days}' at 'pendingWindowInDays' failed to satisfy constraint: {constraint}", error.Message);
    }

    [Theory]
    [InlineData("Encrypt")]
    [InlineData("GenerateDataKey")]
    [InlineData("Decrypt")]
    [InlineData("EnableKey")]
    [InlineData("ScheduleKeyDeletion")]
    [InlineData("UpdateKeyDescription")]
    public async Task A_key_pending_deletion_refuses_use_and_changes_with_KMSInvalidStateException(string operation)
    {
        var keyId = await KeyIdAsync();
        var blob = (await _host.InvokeAsync("Encrypt", Encrypt(keyId)))["CiphertextBlob"]!.GetValue<string>();
        var arn = (await _host.InvokeAsync("ScheduleKeyDeletion", new JsonObject { ["KeyId"] = keyId, ["PendingWindowInDays"] = 7 }))["KeyId"]!.GetValue<string>();

        var error = await _host.FailAsync(operation, operation switch
        {
            "Encrypt" => Encrypt(keyId),
            "GenerateDataKey" => new JsonObject { ["KeyId"] = keyId, ["KeySpec"] = "AES_256" },
            "Decrypt" => new JsonObject { ["CiphertextBlob"] = blob },
            "UpdateKeyDescription" => new JsonObject { ["KeyId"] = keyId, ["Description"] = "new" },
            _ => Key(keyId),
        });

        Assert.Equal("KMSInvalidStateException", error.Code);
        Assert.Equal($"{arn} is pending deletion.", error.Message);
    }

    [Fact]
    public async Task Cancel_key_deletion_leaves_the_key_disabled_until_enabled_and_old_ciphertext_decrypts()
    {
        var keyId = await KeyIdAsync();
        var blob = (await _host.InvokeAsync("Encrypt", Encrypt(keyId)))["CiphertextBlob"]!.GetValue<string>();
        await _host.InvokeAsync("ScheduleKeyDeletion", Key(keyId));

        var cancelled = await _host.InvokeAsync("CancelKeyDeletion", Key(keyId));

        Assert.EndsWith(":key/" + keyId, cancelled["KeyId"]!.GetValue<string>(), StringComparison.Ordinal);
        var metadata = (await _host.InvokeAsync("DescribeKey", Key(keyId)))["KeyMetadata"]!.AsObject();
        Assert.Equal("Disabled", metadata["KeyState"]!.GetValue<string>());
        Assert.False(metadata.ContainsKey("DeletionDate"));
        Assert.Equal("DisabledException", (await _host.FailAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = blob })).Code);
        await _host.InvokeAsync("EnableKey", Key(keyId));
        Assert.Equal(Convert.ToBase64String([1, 2, 3]), (await _host.InvokeAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = blob }))["Plaintext"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_key_deletion_of_a_key_not_pending_deletion_is_KMSInvalidStateException()
    {
        var keyId = await KeyIdAsync();

        var error = await _host.FailAsync("CancelKeyDeletion", Key(keyId));

        Assert.Equal("KMSInvalidStateException", error.Code);
        Assert.EndsWith($":key/{keyId} is not pending deletion.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_is_deleted_with_its_aliases_once_its_deletion_date_passes()
    {
        var keyId = await KeyIdAsync();
        var kept = await KeyIdAsync();
        await _host.InvokeAsync("CreateAlias", new JsonObject { ["AliasName"] = "alias/doomed", ["TargetKeyId"] = keyId });
        await _host.InvokeAsync("ScheduleKeyDeletion", new JsonObject { ["KeyId"] = keyId, ["PendingWindowInDays"] = 7 });

        _host.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal("PendingDeletion", (await _host.InvokeAsync("DescribeKey", Key(keyId)))["KeyMetadata"]!["KeyState"]!.GetValue<string>());
        _host.Clock.Advance(TimeSpan.FromSeconds(1));

        var keys = (await _host.InvokeAsync("ListKeys", [])).AsObject()["Keys"]!.AsArray().Select(k => k!["KeyId"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain(keyId, keys);
        Assert.Contains(kept, keys);
        Assert.Equal("NotFoundException", (await _host.FailAsync("DescribeKey", Key(keyId))).Code);
        var aliases = (await _host.InvokeAsync("ListAliases", []))["Aliases"]!.AsArray().Select(a => a!["AliasName"]!.GetValue<string>());
        Assert.DoesNotContain("alias/doomed", aliases);
    }

    [Fact]
    public async Task A_key_past_its_deletion_date_is_gone_even_when_named_directly_first()
    {
        var keyId = await KeyIdAsync();
        await _host.InvokeAsync("ScheduleKeyDeletion", new JsonObject { ["KeyId"] = keyId, ["PendingWindowInDays"] = 7 });
        _host.Clock.Advance(TimeSpan.FromDays(8));

        var error = await _host.FailAsync("DescribeKey", Key(keyId));

        Assert.Equal("NotFoundException", error.Code);
        Assert.Null(await _host.Store.FindKeyAsync(new(KmsTestHost.Account, KmsTestHost.Region), keyId, CancellationToken.None));
    }

    [Fact]
    public async Task Scheduling_deletion_of_the_aws_managed_key_is_AccessDenied()
    {
        var ssm = (await _host.InvokeAsync("DescribeKey", Key("alias/aws/ssm")))["KeyMetadata"]!["KeyId"]!.GetValue<string>();

        var error = await _host.FailAsync("ScheduleKeyDeletion", Key(ssm));

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Contains("no resource-based policy allows the kms:ScheduleKeyDeletion action", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_key_deletion_is_authorized_on_the_key()
    {
        var keyId = await KeyIdAsync();
        _host.Authorizer.Denied.Add("kms:ScheduleKeyDeletion");

        var error = await _host.FailAsync("ScheduleKeyDeletion", Key(keyId), KmsTestHost.User());

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Contains(("kms:ScheduleKeyDeletion", $"arn:aws:kms:us-east-1:{KmsTestHost.Account}:key/{keyId}"), _host.Authorizer.Calls);
        Assert.Equal("Enabled", (await _host.InvokeAsync("DescribeKey", Key(keyId)))["KeyMetadata"]!["KeyState"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_key_description_changes_what_describe_key_shows()
    {
        var keyId = await KeyIdAsync();

        await _host.InvokeAsync("UpdateKeyDescription", new JsonObject { ["KeyId"] = keyId, ["Description"] = "rotated secrets" });

        Assert.Equal("rotated secrets", (await _host.InvokeAsync("DescribeKey", Key(keyId)))["KeyMetadata"]!["Description"]!.GetValue<string>());
        Assert.Contains(("kms:UpdateKeyDescription", $"arn:aws:kms:us-east-1:{KmsTestHost.Account}:key/{keyId}"), _host.Authorizer.Calls);
    }

    [Fact]
    public async Task Update_alias_points_the_alias_at_another_key()
    {
        var first = await KeyIdAsync();
        var second = await KeyIdAsync();
        await _host.InvokeAsync("CreateAlias", new JsonObject { ["AliasName"] = "alias/app", ["TargetKeyId"] = first });

        await _host.InvokeAsync("UpdateAlias", new JsonObject { ["AliasName"] = "alias/app", ["TargetKeyId"] = second });

        Assert.Equal(second, (await _host.InvokeAsync("DescribeKey", Key("alias/app")))["KeyMetadata"]!["KeyId"]!.GetValue<string>());
        var arn = $"arn:aws:kms:us-east-1:{KmsTestHost.Account}";
        Assert.Contains(("kms:UpdateAlias", $"{arn}:alias/app"), _host.Authorizer.Calls);
        Assert.Contains(("kms:UpdateAlias", $"{arn}:key/{first}"), _host.Authorizer.Calls);
        Assert.Contains(("kms:UpdateAlias", $"{arn}:key/{second}"), _host.Authorizer.Calls);
    }

    [Fact]
    public async Task Update_alias_of_an_alias_that_does_not_exist_is_NotFound()
    {
        var keyId = await KeyIdAsync();

        var error = await _host.FailAsync("UpdateAlias", new JsonObject { ["AliasName"] = "alias/missing", ["TargetKeyId"] = keyId });

        Assert.Equal("NotFoundException", error.Code);
        Assert.Equal($"Alias arn:aws:kms:us-east-1:{KmsTestHost.Account}:alias/missing is not found.", error.Message);
    }

    [Fact]
    public async Task Delete_alias_removes_the_alias_but_not_the_key()
    {
        var keyId = await KeyIdAsync();
        await _host.InvokeAsync("CreateAlias", new JsonObject { ["AliasName"] = "alias/gone", ["TargetKeyId"] = keyId });

        await _host.InvokeAsync("DeleteAlias", new JsonObject { ["AliasName"] = "alias/gone" });

        Assert.Equal("NotFoundException", (await _host.FailAsync("DescribeKey", Key("alias/gone"))).Code);
        Assert.Equal("Enabled", (await _host.InvokeAsync("DescribeKey", Key(keyId)))["KeyMetadata"]!["KeyState"]!.GetValue<string>());
        Assert.Equal("NotFoundException", (await _host.FailAsync("DeleteAlias", new JsonObject { ["AliasName"] = "alias/gone" })).Code);
    }

    [Theory]
    [InlineData("DeleteAlias")]
    [InlineData("UpdateAlias")]
    public async Task Changing_an_aws_alias_is_AccessDenied(string operation)
    {
        var keyId = await KeyIdAsync();
        var input = new JsonObject { ["AliasName"] = "alias/aws/ssm" };
        if (operation == "UpdateAlias")
        {
            input["TargetKeyId"] = keyId;
        }

        var error = await _host.FailAsync(operation, input);

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Contains($"kms:{operation} on resource: arn:aws:kms:us-east-1:{KmsTestHost.Account}:alias/aws/ssm", error.Message, StringComparison.Ordinal);
        Assert.Equal("alias/aws/ssm", (await _host.InvokeAsync("ListAliases", []))["Aliases"]!.AsArray().Single()!["AliasName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generate_random_returns_the_bytes_asked_for_authorized_on_every_resource()
    {
        var first = Convert.FromBase64String((await _host.InvokeAsync("GenerateRandom", new JsonObject { ["NumberOfBytes"] = 64 }))["Plaintext"]!.GetValue<string>());
        var second = Convert.FromBase64String((await _host.InvokeAsync("GenerateRandom", new JsonObject { ["NumberOfBytes"] = 64 }))["Plaintext"]!.GetValue<string>());

        Assert.Equal(64, first.Length);
        Assert.NotEqual(first, second);
        Assert.Contains(("kms:GenerateRandom", "*"), _host.Authorizer.Calls);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1025)]
    public async Task Generate_random_outside_1_to_1024_bytes_is_a_ValidationException(int bytes)
    {
        var error = await _host.FailAsync("GenerateRandom", new JsonObject { ["NumberOfBytes"] = bytes });

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains("at 'numberOfBytes' failed to satisfy constraint", error.Message, StringComparison.Ordinal);
    }
}
