using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.Kms;

public sealed class KmsAliasTests : IDisposable
{
    private readonly KmsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private async Task<string> NewKeyIdAsync() => (await _host.CreateKeyAsync())["KeyId"]!.GetValue<string>();

    private static JsonObject Alias(string name, string target) => new() { ["AliasName"] = name, ["TargetKeyId"] = target };

    [Fact]
    public async Task Create_alias_then_list_aliases_shows_it_with_its_target()
    {
        var keyId = await NewKeyIdAsync();

        Assert.Empty(await _host.InvokeAsync("CreateAlias", Alias("alias/app/db", keyId)));

        var aliases = (await _host.InvokeAsync("ListAliases", []))["Aliases"]!.AsArray();
        var alias = aliases.Single(a => a!["AliasName"]!.GetValue<string>() == "alias/app/db")!;
        Assert.Equal("arn:aws:kms:us-east-1:111122223333:alias/app/db", alias["AliasArn"]!.GetValue<string>());
        Assert.Equal(keyId, alias["TargetKeyId"]!.GetValue<string>());
        Assert.NotNull(alias["CreationDate"]);
        Assert.NotNull(alias["LastUpdatedDate"]);
    }

    [Fact]
    public async Task Create_alias_accepts_the_target_as_a_key_arn()
    {
        var metadata = await _host.CreateKeyAsync();

        await _host.InvokeAsync("CreateAlias", Alias("alias/by-arn", metadata["Arn"]!.GetValue<string>()));

        var described = await _host.InvokeAsync("DescribeKey", new JsonObject { ["KeyId"] = "alias/by-arn" });
        Assert.Equal(metadata["KeyId"]!.GetValue<string>(), described["KeyMetadata"]!["KeyId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_alias_is_authorized_on_both_the_alias_and_the_key()
    {
        var metadata = await _host.CreateKeyAsync();

        await _host.InvokeAsync("CreateAlias", Alias("alias/app", metadata["KeyId"]!.GetValue<string>()));

        Assert.Contains(("kms:CreateAlias", "arn:aws:kms:us-east-1:111122223333:alias/app"), _host.Authorizer.Calls);
        Assert.Contains(("kms:CreateAlias", metadata["Arn"]!.GetValue<string>()), _host.Authorizer.Calls);
    }

    [Fact]
    public async Task Create_alias_without_permission_is_AccessDenied()
    {
        var keyId = await NewKeyIdAsync();
        _host.Authorizer.Denied.Add("kms:CreateAlias");

        var error = await _host.FailAsync("CreateAlias", Alias("alias/app", keyId), KmsTestHost.User());

        Assert.Equal("AccessDeniedException", error.Code);
    }

    [Fact]
    public async Task Create_alias_twice_is_AlreadyExists_with_the_alias_arn()
    {
        var keyId = await NewKeyIdAsync();
        await _host.InvokeAsync("CreateAlias", Alias("alias/app", keyId));

        var error = await _host.FailAsync("CreateAlias", Alias("alias/app", await NewKeyIdAsync()));

        Assert.Equal("AlreadyExistsException", error.Code);
        Assert.Equal("An alias with the name arn:aws:kms:us-east-1:111122223333:alias/app already exists", error.Message);
    }

    [Fact]
    public async Task The_same_alias_name_may_exist_in_another_region()
    {
        await _host.InvokeAsync("CreateAlias", Alias("alias/app", await NewKeyIdAsync()));
        var west = KmsTestHost.Root("eu-west-1");
        var westKey = (await _host.CreateKeyAsync(context: west))["KeyId"]!.GetValue<string>();

        await _host.InvokeAsync("CreateAlias", Alias("alias/app", westKey), west);

        var described = await _host.InvokeAsync("DescribeKey", new JsonObject { ["KeyId"] = "alias/app" }, west);
        Assert.Equal(westKey, described["KeyMetadata"]!["KeyId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("alias/aws/ssm")]
    [InlineData("alias/aws/mine")]
    public async Task Create_alias_in_the_reserved_aws_namespace_is_InvalidAliasName(string name)
    {
        var error = await _host.FailAsync("CreateAlias", Alias(name, await NewKeyIdAsync()));

        Assert.Equal("InvalidAliasNameException", error.Code);
        Assert.Contains("alias/aws/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_alias_without_the_alias_prefix_is_a_ValidationException()
    {
        var error = await _host.FailAsync("CreateAlias", Alias("my-app", await NewKeyIdAsync()));

        Assert.Equal("ValidationException", error.Code);
        Assert.Equal("Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html", error.Message);
    }

    [Fact]
    public async Task Create_alias_with_a_colon_is_a_ValidationException()
    {
        var error = await _host.FailAsync("CreateAlias", Alias("alias/Service:Test", await NewKeyIdAsync()));

        Assert.Equal("ValidationException", error.Code);
        Assert.Equal("alias/Service:Test contains invalid characters for an alias", error.Message);
    }

    [Fact]
    public async Task Create_alias_with_a_character_outside_the_pattern_is_a_ValidationException()
    {
        var error = await _host.FailAsync("CreateAlias", Alias("alias/Service.Test", await NewKeyIdAsync()));

        Assert.Equal("ValidationException", error.Code);
        Assert.Equal(
            "1 validation error detected: Value 'alias/Service.Test' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
            error.Message);
    }

    [Fact]
    public async Task Create_alias_with_nothing_after_the_prefix_is_InvalidAliasName()
    {
        var error = await _host.FailAsync("CreateAlias", Alias("alias/", await NewKeyIdAsync()));

        Assert.Equal("InvalidAliasNameException", error.Code);
    }

    [Fact]
    public async Task Create_alias_for_an_unknown_key_is_NotFound()
    {
        var error = await _host.FailAsync("CreateAlias", Alias("alias/app", "1234abcd-12ab-34cd-56ef-1234567890ab"));

        Assert.Equal("NotFoundException", error.Code);
        Assert.Equal("Key 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist", error.Message);
    }

    [Fact]
    public async Task Create_alias_pointing_at_another_alias_is_NotFound()
    {
        await _host.InvokeAsync("CreateAlias", Alias("alias/first", await NewKeyIdAsync()));

        var error = await _host.FailAsync("CreateAlias", Alias("alias/second", "alias/first"));

        Assert.Equal("NotFoundException", error.Code);
        Assert.Equal("Invalid keyId 'alias/first'", error.Message);
    }

    [Fact]
    public async Task Create_alias_for_the_AWS_managed_key_is_AccessDenied()
    {
        var ssmKey = (await _host.InvokeAsync("DescribeKey", new JsonObject { ["KeyId"] = "alias/aws/ssm" }))["KeyMetadata"]!["KeyId"]!.GetValue<string>();

        var error = await _host.FailAsync("CreateAlias", Alias("alias/mine", ssmKey));

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Contains("because no resource-based policy allows the kms:CreateAlias action", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_alias_without_a_target_is_a_ValidationException()
    {
        var error = await _host.FailAsync("CreateAlias", new JsonObject { ["AliasName"] = "alias/app" });

        Assert.Equal("ValidationException", error.Code);
        Assert.Equal("1 validation error detected: Value null at 'targetKeyId' failed to satisfy constraint: Member must not be null", error.Message);
    }

    [Fact]
    public async Task List_aliases_always_shows_alias_aws_ssm_with_its_AWS_managed_key()
    {
        var aliases = (await _host.InvokeAsync("ListAliases", []))["Aliases"]!.AsArray();

        var ssm = aliases.Single(a => a!["AliasName"]!.GetValue<string>() == "alias/aws/ssm")!;
        Assert.Equal("arn:aws:kms:us-east-1:111122223333:alias/aws/ssm", ssm["AliasArn"]!.GetValue<string>());
        var target = ssm["TargetKeyId"]!.GetValue<string>();
        var described = await _host.InvokeAsync("DescribeKey", new JsonObject { ["KeyId"] = target });
        Assert.Equal("AWS", described["KeyMetadata"]!["KeyManager"]!.GetValue<string>());
        Assert.Contains(("kms:ListAliases", "*"), _host.Authorizer.Calls);
    }

    [Fact]
    public async Task List_aliases_for_one_key_shows_only_that_keys_aliases()
    {
        var keyId = await NewKeyIdAsync();
        await _host.InvokeAsync("CreateAlias", Alias("alias/one", keyId));
        await _host.InvokeAsync("CreateAlias", Alias("alias/two", keyId));
        await _host.InvokeAsync("CreateAlias", Alias("alias/other", await NewKeyIdAsync()));

        var aliases = (await _host.InvokeAsync("ListAliases", new JsonObject { ["KeyId"] = keyId }))["Aliases"]!.AsArray();

        Assert.Equal(["alias/one", "alias/two"], aliases.Select(a => a!["AliasName"]!.GetValue<string>()));
    }

    [Fact]
    public async Task List_aliases_for_an_unknown_key_is_NotFound()
    {
        var error = await _host.FailAsync("ListAliases", new JsonObject { ["KeyId"] = "1234abcd-12ab-34cd-56ef-1234567890ab" });

        Assert.Equal("NotFoundException", error.Code);
    }

    [Fact]
    public async Task List_aliases_pages_with_limit_and_marker()
    {
        var keyId = await NewKeyIdAsync();
        foreach (var name in new[] { "alias/a", "alias/b", "alias/c" })
        {
            await _host.InvokeAsync("CreateAlias", Alias(name, keyId));
        }

        var first = await _host.InvokeAsync("ListAliases", new JsonObject { ["Limit"] = 2 });
        Assert.True(first["Truncated"]!.GetValue<bool>());
        var rest = await _host.InvokeAsync("ListAliases", new JsonObject { ["Limit"] = 10, ["Marker"] = first["NextMarker"]!.DeepClone() });

        var names = first["Aliases"]!.AsArray().Concat(rest["Aliases"]!.AsArray()).Select(a => a!["AliasName"]!.GetValue<string>()).ToList();
        Assert.Equal(["alias/a", "alias/aws/ssm", "alias/b", "alias/c"], names);
        Assert.False(rest["Truncated"]!.GetValue<bool>());
    }
}
