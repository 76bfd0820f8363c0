using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.Ssm;

public sealed class GetParameterTests : SsmFixture
{
    [Fact]
    public async Task Get_returns_exactly_the_model_members_with_an_epoch_timestamp()
    {
        await PutAsync("/app/url", "https://x");

        var parameter = await GetAsync("/app/url");

        Assert.Equal(["Name", "Type", "Value", "Version", "LastModifiedDate", "ARN", "DataType"], ((IDictionary<string, JsonNode?>)parameter).Keys);
        Assert.Equal("/app/url", parameter["Name"]!.GetValue<string>());
        Assert.Equal(Arn("app/url"), parameter["ARN"]!.GetValue<string>());
        Assert.Equal("text", parameter["DataType"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.Number, parameter["LastModifiedDate"]!.GetValueKind());
        Assert.Equal(Time.GetUtcNow().ToUnixTimeSeconds(), parameter["LastModifiedDate"]!.GetValue<double>());
        Assert.Contains(("ssm:GetParameter", Arn("app/url")), Authorizer.Calls);
    }

    [Fact]
    public async Task Root_level_names_with_and_without_slash_are_one_parameter_and_the_caller_spelling_is_echoed()
    {
        await PutAsync("plain", "v");

        Assert.Equal("/plain", (await GetAsync("/plain"))["Name"]!.GetValue<string>());
        Assert.Equal("plain", (await GetAsync("plain"))["Name"]!.GetValue<string>());
        Assert.Equal(Arn("plain"), (await GetAsync("/plain"))["ARN"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_read_by_ARN_reports_the_parameter_name_not_the_ARN()
    {
        await PutAsync("/test", "v");

        var single = await GetAsync(Arn("test"));
        var many = await CallAsync("GetParameters", $$"""{"Names":["{{Arn("test")}}"]}""");

        Assert.Equal("/test", single["Name"]!.GetValue<string>());
        Assert.Equal(Arn("test"), single["ARN"]!.GetValue<string>());
        Assert.Equal("/test", many["Parameters"]![0]!["Name"]!.GetValue<string>());
        Assert.Empty(many["InvalidParameters"]!.AsArray());
    }

    [Fact]
    public async Task Versions_and_labels_select_and_are_reported_as_Selector()
    {
        await PutAsync("/sel", "one");
        await OverwriteAsync("/sel", "two");
        await CallAsync("LabelParameterVersion", """{"Name":"/sel","ParameterVersion":1,"Labels":["prod"]}""");

        var byVersion = await GetAsync("/sel:1");
        var byLabel = await GetAsync("/sel:prod");

        Assert.Equal(("/sel", "one", ":1"), (byVersion["Name"]!.GetValue<string>(), byVersion["Value"]!.GetValue<string>(), byVersion["Selector"]!.GetValue<string>()));
        Assert.Equal(("one", ":prod", 1L), (byLabel["Value"]!.GetValue<string>(), byLabel["Selector"]!.GetValue<string>(), byLabel["Version"]!.GetValue<long>()));
    }

    [Fact]
    public async Task An_ARN_works_as_a_name_and_the_parameters_name_is_reported()
    {
        await PutAsync("/by/arn", "v");

        var parameter = await GetAsync(Arn("by/arn") + ":1");

        Assert.Equal("/by/arn", parameter["Name"]!.GetValue<string>());
        Assert.Equal(Arn("by/arn"), parameter["ARN"]!.GetValue<string>());
        Assert.Equal("v", parameter["Value"]!.GetValue<string>());
        Assert.Equal("ParameterNotFound", (await FailsAsync("GetParameter", $$"""{"Name":"{{Arn("by/arn", "eu-west-1")}}"}""")).Code);
    }

    [Fact]
    public async Task A_missing_parameter_is_ParameterNotFound_naming_it_where_aws_sends_an_empty_message()
    {
        var error = await FailsAsync("GetParameter", """{"Name":"/nothing"}""");

        Assert.Equal("ParameterNotFound", error.Code);
        Assert.Equal("Parameter /nothing not found.", error.Message);
    }

    [Theory]
    [InlineData("my_app_docker_credentials_password")]
    [InlineData("my-app-Docker-credentials-password")]
    [InlineData("my_app_Docker_credential_password")]
    public async Task A_missing_parameter_close_to_an_existing_name_suggests_it(string typo)
    {
        await CallAsync("PutParameter", """{"Name":"my_app_Docker_credentials_password","Value":"s3cret","Type":"SecureString"}""");

        var get = await FailsAsync("GetParameter", $$"""{"Name":"{{typo}}"}""");
        var delete = await FailsAsync("DeleteParameter", $$"""{"Name":"{{typo}}"}""");

        Assert.Equal("ParameterNotFound", get.Code);
        Assert.Equal($"Parameter {typo} not found. Did you mean my_app_Docker_credentials_password?", get.Message);
        Assert.Equal(get.Message, delete.Message);
    }

    [Fact]
    public async Task A_caller_who_may_not_list_names_gets_no_suggestion_and_a_miss_with_no_close_name_asks_nothing()
    {
        await CallAsync("PutParameter", """{"Name":"/app/db/password","Value":"v","Type":"String"}""");
        Authorizer.Denied.Add(("ssm:DescribeParameters", "*"));

        var denied = await FailsAsync("GetParameter", """{"Name":"/app/db/pasword"}""");
        Authorizer.Calls.Clear();
        var unrelated = await FailsAsync("GetParameter", """{"Name":"/completely/different"}""");

        Assert.Equal("ParameterNotFound", denied.Code);
        Assert.DoesNotContain("Did you mean", denied.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Authorizer.Calls, call => call.Action == "ssm:DescribeParameters");
        Assert.Equal("ParameterNotFound", unrelated.Code);
    }

    [Fact]
    public async Task A_close_name_in_another_region_is_not_suggested()
    {
        await CallAsync("PutParameter", """{"Name":"/app/db/password","Value":"v","Type":"String"}""");

        var error = await FailsAsync("GetParameter", """{"Name":"/app/db/pasword"}""", "eu-west-1");

        Assert.DoesNotContain("Did you mean", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_version_is_ParameterVersionNotFound()
    {
        await PutAsync("/ver", "v");

        var error = await FailsAsync("GetParameter", """{"Name":"/ver:5"}""");

        Assert.Equal(("ParameterVersionNotFound", "Systems Manager could not find version 5 of /ver. Verify the version and try again."), (error.Code, error.Message));
        Assert.Equal("ParameterVersionNotFound", (await FailsAsync("GetParameter", """{"Name":"/ver:nolabel"}""")).Code);
    }

    [Fact]
    public async Task A_malformed_name_is_a_validation_error()
    {
        Assert.Equal("ValidationException", (await FailsAsync("GetParameter", """{"Name":"has space"}""")).Code);
        Assert.Equal("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null", (await FailsAsync("GetParameter", "{}")).Message);
    }

    [Fact]
    public async Task A_SecureString_is_stored_encrypted_under_its_ARN_and_returned_as_ciphertext_unless_decrypted()
    {
        await PutAsync("/secret", "hunter2", "SecureString");

        var hidden = (await GetAsync("/secret"))["Value"]!.GetValue<string>();
        var shown = (await GetAsync("/secret", decrypt: true))["Value"]!.GetValue<string>();

        Assert.Equal("hunter2", shown);
        Assert.NotEqual("hunter2", hidden);
        Assert.DoesNotContain("hunter2", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(hidden)), StringComparison.Ordinal);
        var stored = await Repository.GetAsync(new Cairn.Core.Parameters.ParameterScope(Account, Region), "secret", default);
        Assert.Equal(hidden, stored!.Version.Value);
        Assert.Equal(Arn("secret"), Assert.Single(Keys.Contexts)["PARAMETER_ARN"]);
    }

    [Fact]
    public async Task A_ciphertext_moved_to_another_parameter_does_not_decrypt()
    {
        await PutAsync("/origin", "secret", "SecureString");
        var scope = new Cairn.Core.Parameters.ParameterScope(Account, Region);
        var stolen = (await Repository.GetAsync(scope, "origin", default))!.Version;
        await Repository.PutAsync(scope, Cairn.Core.Parameters.ParameterName.ParseForRead("/copy"), Time.GetUtcNow(),
            _ => new Cairn.Core.Parameters.ParameterWriteDecision(stolen with { Version = 1 }, false, [], null), default);

        var error = await FailsAsync("GetParameter", """{"Name":"/copy","WithDecryption":true}""");

        Assert.Equal("InvalidKeyId", error.Code);
        Assert.Contains("Error Code: InvalidCiphertextException", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypting_under_the_aws_managed_key_is_granted_by_its_key_policy_but_a_customer_key_needs_kms_permission()
    {
        await PutAsync("/managed", "a", "SecureString");
        await GetAsync("/managed", decrypt: true);
        var managed = Authorizer.Requests.Where(r => r.Action.StartsWith("kms:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["kms:Encrypt", "kms:Decrypt"], managed.Select(r => r.Action));
        // Asked so that an explicit deny in the caller's policies still refuses, as on AWS; the key policy is the grant.
        Assert.All(managed, r => Assert.True(r.AllowedByResourcePolicy));
        Assert.All(managed, r => Assert.Equal($"ssm.{Region}.amazonaws.com", r.Conditions["kms:ViaService"]));
        Assert.All(managed, r => Assert.Equal($"arn:aws:ssm:{Region}:{Account}:parameter/managed", r.Conditions["kms:EncryptionContext:PARAMETER_ARN"]));

        await PutAsync("/custom", "b", "SecureString", ""","KeyId":"alias/custom" """);
        var customKeyArn = $"arn:aws:kms:{Region}:{Account}:key/{TestKeyService.CustomKeyId}";

        Assert.Equal("b", (await GetAsync("/custom", decrypt: true))["Value"]!.GetValue<string>());
        Assert.Contains(("kms:Encrypt", customKeyArn), Authorizer.Calls);
        Assert.Contains(("kms:Decrypt", customKeyArn), Authorizer.Calls);

        Authorizer.Denied.Add(("kms:Decrypt", customKeyArn));
        var denied = await FailsAsync("GetParameter", """{"Name":"/custom","WithDecryption":true}""");
        Assert.Equal("AccessDeniedException", denied.Code);
        Assert.EndsWith("(Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; Request ID: req-1; Proxy: null)", denied.Message, StringComparison.Ordinal);
        Assert.NotEqual("b", (await GetAsync("/custom"))["Value"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_advanced_SecureString_under_a_customer_key_needs_GenerateDataKey()
    {
        await PutAsync("/adv", "x", "SecureString", ""","KeyId":"alias/custom","Tier":"Advanced" """);

        Assert.Contains(("kms:GenerateDataKey", $"arn:aws:kms:{Region}:{Account}:key/{TestKeyService.CustomKeyId}"), Authorizer.Calls);
    }

    [Fact]
    public async Task Describe_shows_the_default_key_as_alias_aws_ssm()
    {
        await PutAsync("/s", "v", "SecureString");

        Assert.Equal("alias/aws/ssm", (await CallAsync("DescribeParameters", "{}"))["Parameters"]![0]!["KeyId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("alias/nope", "Alias arn:aws:kms:us-east-1:000000000000:alias/nope is not found. (Service: AWSKMS; Status Code: 400; Error Code: NotFoundException; Request ID: req-1; Proxy: null)")]
    [InlineData("alias/disabled", "arn:aws:kms:us-east-1:000000000000:key/dddd is disabled. (Service: AWSKMS; Status Code: 400; Error Code: DisabledException; Request ID: req-1; Proxy: null)")]
    public async Task An_unknown_or_disabled_key_is_InvalidKeyId(string keyId, string message)
    {
        var error = await FailsAsync("PutParameter", $$"""{"Name":"/k","Value":"v","Type":"SecureString","KeyId":"{{keyId}}"}""");

        Assert.Equal(("InvalidKeyId", message), (error.Code, error.Message));
    }

    [Fact]
    public async Task Changing_a_String_to_SecureString_encrypts_the_new_version()
    {
        await PutAsync("/morph", "plain");
        await CallAsync("PutParameter", """{"Name":"/morph","Value":"secret","Type":"SecureString","Overwrite":true}""");

        Assert.NotEqual("secret", (await GetAsync("/morph"))["Value"]!.GetValue<string>());
        Assert.Equal("secret", (await GetAsync("/morph", decrypt: true))["Value"]!.GetValue<string>());
        Assert.Equal("plain", (await GetAsync("/morph:1", decrypt: true))["Value"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetParameters_returns_found_ones_once_and_lists_the_rest_as_invalid()
    {
        await PutAsync("/a", "1");
        await PutAsync("/b", "2", "SecureString");

        var result = await CallAsync("GetParameters", """{"Names":["/a","/a","/b","/missing","/a:7","/b:nolabel"],"WithDecryption":true}""");

        Assert.Equal(["/a", "/b"], Names(result));
        Assert.Equal("2", result["Parameters"]![1]!["Value"]!.GetValue<string>());
        Assert.Equal(["/missing", "/a:7", "/b:nolabel"], Strings(result, "InvalidParameters"));
        Assert.Equal(5, Authorizer.Calls.Count(c => c.Action == "ssm:GetParameters"));
    }

    [Fact]
    public async Task GetParameters_with_eleven_names_is_refused_with_the_names_listed()
    {
        var names = Enumerable.Range(1, 11).Select(i => $"p{i}").ToList();

        var error = await FailsAsync("GetParameters", $$"""{"Names":[{{string.Join(",", names.Select(n => $"\"{n}\""))}}]}""");

        Assert.Equal(
            $"1 validation error detected: Value '[{string.Join(", ", names)}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10.",
            error.Message);
    }

    [Fact]
    public async Task GetParameters_is_denied_when_any_name_is_denied()
    {
        await PutAsync("/ok", "1");
        Authorizer.Denied.Add(("ssm:GetParameters", Arn("secret")));

        Assert.Equal("AccessDeniedException", (await FailsAsync("GetParameters", """{"Names":["/ok","/secret"]}""")).Code);
    }

    [Fact]
    public async Task Unknown_operations_are_UnknownOperationException()
    {
        Assert.Equal("UnknownOperationException", (await FailsAsync("SendCommand", "{}")).Code);
    }
}
