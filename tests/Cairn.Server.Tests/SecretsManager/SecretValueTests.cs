using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Server.Tests.SecretsManager;

/// <summary>CreateSecret, GetSecretValue, PutSecretValue and UpdateSecret: versions, staging labels, idempotency, encryption at rest.</summary>
public sealed class SecretValueTests : SecretsManagerFixture
{
    private const string TokenA = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
    private const string TokenB = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb";

    [Fact]
    public async Task A_secret_is_read_by_name_full_arn_and_partial_arn_and_its_arn_has_a_six_character_suffix()
    {
        var created = await CallAsync("CreateSecret", """{"Name":"app/db","SecretString":"{\"user\":\"admin\",\"password\":\"s3cret\"}","Description":"db"}""");
        var arn = created["ARN"]!.GetValue<string>();

        var byName = await CallAsync("GetSecretValue", """{"SecretId":"app/db"}""");
        var byArn = await CallAsync("GetSecretValue", $$"""{"SecretId":"{{arn}}"}""");
        var byPartial = await CallAsync("GetSecretValue", $$"""{"SecretId":"arn:aws:secretsmanager:{{Region}}:{{Account}}:secret:app/db"}""");

        Assert.Matches(new Regex($"^arn:aws:secretsmanager:{Region}:{Account}:secret:app/db-[A-Za-z0-9]{{6}}$"), arn);
        Assert.Equal("""{"user":"admin","password":"s3cret"}""", byName["SecretString"]!.GetValue<string>());
        Assert.Equal(byName["VersionId"]!.GetValue<string>(), byArn["VersionId"]!.GetValue<string>());
        Assert.Equal(arn, byPartial["ARN"]!.GetValue<string>());
        Assert.Equal(["AWSCURRENT"], byName["VersionStages"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(created["VersionId"]!.GetValue<string>(), byName["VersionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_secret_value_moves_AWSCURRENT_and_the_old_version_becomes_AWSPREVIOUS()
    {
        await CallAsync("CreateSecret", $$"""{"Name":"rotating","SecretString":"one","ClientRequestToken":"{{TokenA}}"}""");
        var put = await CallAsync("PutSecretValue", $$"""{"SecretId":"rotating","SecretString":"two","ClientRequestToken":"{{TokenB}}"}""");
        await CallAsync("PutSecretValue", """{"SecretId":"rotating","SecretString":"three"}""");

        var current = await CallAsync("GetSecretValue", """{"SecretId":"rotating"}""");
        var previous = await CallAsync("GetSecretValue", """{"SecretId":"rotating","VersionStage":"AWSPREVIOUS"}""");
        var first = await CallAsync("GetSecretValue", $$"""{"SecretId":"rotating","VersionId":"{{TokenA}}"}""");
        var described = await CallAsync("DescribeSecret", """{"SecretId":"rotating"}""");

        Assert.Equal(TokenB, put["VersionId"]!.GetValue<string>());
        Assert.Equal("three", current["SecretString"]!.GetValue<string>());
        Assert.Equal("two", previous["SecretString"]!.GetValue<string>());
        Assert.Equal("one", first["SecretString"]!.GetValue<string>());
        Assert.Empty(first["VersionStages"]!.AsArray());
        var stages = described["VersionIdsToStages"]!.AsObject();
        Assert.Equal(2, stages.Count);
        Assert.Equal("AWSPREVIOUS", stages[TokenB]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_retried_call_with_the_same_token_and_value_is_ignored_and_another_value_is_ResourceExists()
    {
        var first = await CallAsync("CreateSecret", $$"""{"Name":"idem","SecretString":"v","ClientRequestToken":"{{TokenA}}"}""");
        var retried = await CallAsync("CreateSecret", $$"""{"Name":"idem","SecretString":"v","ClientRequestToken":"{{TokenA}}"}""");
        var other = await FailAsync("CreateSecret", $$"""{"Name":"idem","SecretString":"w","ClientRequestToken":"{{TokenA}}"}""");
        var again = await FailAsync("CreateSecret", """{"Name":"idem","SecretString":"v"}""");
        var putAgain = await CallAsync("PutSecretValue", $$"""{"SecretId":"idem","SecretString":"v","ClientRequestToken":"{{TokenA}}"}""");
        var putOther = await FailAsync("PutSecretValue", $$"""{"SecretId":"idem","SecretString":"changed","ClientRequestToken":"{{TokenA}}"}""");

        Assert.Equal(first["ARN"]!.GetValue<string>(), retried["ARN"]!.GetValue<string>());
        Assert.Equal(TokenA, retried["VersionId"]!.GetValue<string>());
        Assert.Equal(("ResourceExistsException", "ResourceExistsException", "ResourceExistsException"), (other.Code, again.Code, putOther.Code));
        Assert.StartsWith("The operation failed because the secret idem already exists.", again.Message, StringComparison.Ordinal);
        Assert.StartsWith("You can't modify an existing version, you can only create a new version.", putOther.Message, StringComparison.Ordinal);
        Assert.Equal(["AWSCURRENT"], putAgain["VersionStages"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task Binary_values_round_trip_and_update_secret_changes_the_description_and_makes_a_version_only_with_a_value()
    {
        var bytes = new byte[] { 0, 1, 2, 250, 255 };
        await CallAsync("CreateSecret", $$"""{"Name":"bin","SecretBinary":"{{Convert.ToBase64String(bytes)}}"}""");
        var noValue = await CallAsync("UpdateSecret", """{"SecretId":"bin","Description":"new"}""");
        var withValue = await CallAsync("UpdateSecret", """{"SecretId":"bin","SecretString":"text now"}""");

        var read = await CallAsync("GetSecretValue", """{"SecretId":"bin","VersionStage":"AWSPREVIOUS"}""");
        var current = await CallAsync("GetSecretValue", """{"SecretId":"bin"}""");
        var described = await CallAsync("DescribeSecret", """{"SecretId":"bin"}""");

        Assert.Null(noValue["VersionId"]);
        Assert.NotNull(withValue["VersionId"]);
        Assert.Equal(bytes, Convert.FromBase64String(read["SecretBinary"]!.GetValue<string>()));
        Assert.Null(read["SecretString"]);
        Assert.Equal("text now", current["SecretString"]!.GetValue<string>());
        Assert.Equal("new", described["Description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Values_are_never_in_plaintext_in_the_database()
    {
        const string Value = "plaintext-canary-7f3a9c";
        await CallAsync("CreateSecret", $$"""{"Name":"canary","SecretString":"{{Value}}"}""");
        await CallAsync("PutSecretValue", $$"""{"SecretId":"canary","SecretString":"{{Value}}-2"}""");
        await Server.DisposeAsync();

        var found = Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllBytes(f).AsSpan().IndexOf(Encoding.UTF8.GetBytes(Value)) >= 0).ToList();

        Assert.Empty(found);
        await InitializeAsync();
        Assert.Equal(Value, (await CallAsync("GetSecretValue", """{"SecretId":"canary","VersionStage":"AWSPREVIOUS"}"""))["SecretString"]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_secrets_versions_and_labels_are_ResourceNotFound_with_AWSs_text()
    {
        await CallAsync("CreateSecret", """{"Name":"empty"}""");

        var secret = await FailAsync("GetSecretValue", """{"SecretId":"ghost"}""");
        var label = await FailAsync("GetSecretValue", """{"SecretId":"empty"}""");
        var version = await FailAsync("GetSecretValue", $$"""{"SecretId":"empty","VersionId":"{{TokenA}}"}""");
        var otherRegion = await FailAsync("GetSecretValue", $$"""{"SecretId":"arn:aws:secretsmanager:eu-west-1:{{Account}}:secret:empty"}""");

        Assert.All([secret, label, version, otherRegion], e => Assert.Equal("ResourceNotFoundException", e.Code));
        Assert.StartsWith("Secrets Manager can't find the specified secret.", secret.Message, StringComparison.Ordinal);
        Assert.StartsWith("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT", label.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Secrets Manager can't find the specified secret value for VersionId: {TokenA}", version.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_is_a_client_error_naming_what_is_wrong()
    {
        var both = await FailAsync("CreateSecret", """{"Name":"x","SecretString":"a","SecretBinary":"YQ=="}""");
        var name = await FailAsync("CreateSecret", """{"Name":"bad name?","SecretString":"a"}""");
        var token = await FailAsync("CreateSecret", """{"Name":"x","SecretString":"a","ClientRequestToken":"short"}""");
        var noValue = await FailAsync("PutSecretValue", """{"SecretId":"x"}""");
        var awsTag = await FailAsync("CreateSecret", """{"Name":"x","SecretString":"a","Tags":[{"Key":"aws:owner","Value":"me"}]}""");

        Assert.Equal("InvalidParameterException", both.Code);
        Assert.Equal("InvalidParameterException", name.Code);
        Assert.Contains("alphanumeric", name.Message, StringComparison.Ordinal);
        Assert.Equal("ValidationException", token.Code);
        Assert.Contains("'clientRequestToken'", token.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidRequestException", noValue.Code);
        Assert.Equal("InvalidParameterException", awsTag.Code);
        Assert.All([both, name, token, noValue, awsTag], e => Assert.Equal(400, e.HttpStatus));
    }
}
