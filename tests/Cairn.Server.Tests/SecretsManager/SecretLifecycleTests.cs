namespace Cairn.Server.Tests.SecretsManager;

/// <summary>DeleteSecret and RestoreSecret, ListSecrets, ListSecretVersionIds, UpdateSecretVersionStage and tags.</summary>
public sealed class SecretLifecycleTests : SecretsManagerFixture
{
    private const string V1 = "11111111-1111-1111-1111-111111111111";
    private const string V2 = "22222222-2222-2222-2222-222222222222";

    [Fact]
    public async Task A_secret_scheduled_for_deletion_refuses_reads_is_still_described_and_comes_back_when_restored()
    {
        var created = await CallAsync("CreateSecret", """{"Name":"doomed","SecretString":"v"}""");
        var deleted = await CallAsync("DeleteSecret", """{"SecretId":"doomed","RecoveryWindowInDays":7}""");

        var read = await FailAsync("GetSecretValue", """{"SecretId":"doomed"}""");
        var put = await FailAsync("PutSecretValue", """{"SecretId":"doomed","SecretString":"w"}""");
        var twice = await FailAsync("DeleteSecret", """{"SecretId":"doomed"}""");
        var recreate = await FailAsync("CreateSecret", """{"Name":"doomed","SecretString":"v"}""");
        var described = await CallAsync("DescribeSecret", """{"SecretId":"doomed"}""");
        var listed = await CallAsync("ListSecrets", "{}");
        var listedAll = await CallAsync("ListSecrets", """{"IncludePlannedDeletion":true}""");
        await CallAsync("RestoreSecret", """{"SecretId":"doomed"}""");
        var restored = await CallAsync("GetSecretValue", """{"SecretId":"doomed"}""");

        var days = (deleted["DeletionDate"]!.GetValue<double>() - DateTimeOffset.UtcNow.ToUnixTimeSeconds()) / 86400;
        Assert.InRange(days, 6.9, 7.1);
        Assert.Equal(("InvalidRequestException", "InvalidRequestException"), (read.Code, put.Code));
        Assert.StartsWith("You can't perform this operation on the secret because it was marked for deletion.", read.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidRequestException", twice.Code);
        Assert.Equal("InvalidRequestException", recreate.Code);
        Assert.NotNull(described["DeletedDate"]);
        Assert.Empty(listed["SecretList"]!.AsArray());
        Assert.Single(listedAll["SecretList"]!.AsArray());
        Assert.Equal("v", restored["SecretString"]!.GetValue<string>());
        Assert.Equal(created["ARN"]!.GetValue<string>(), restored["ARN"]!.GetValue<string>());
    }

    [Fact]
    public async Task Recovery_windows_outside_7_to_30_days_and_force_with_a_window_are_refused_and_force_deletes_at_once()
    {
        var first = await CallAsync("CreateSecret", """{"Name":"gone","SecretString":"v"}""");

        var short6 = await FailAsync("DeleteSecret", """{"SecretId":"gone","RecoveryWindowInDays":6}""");
        var long31 = await FailAsync("DeleteSecret", """{"SecretId":"gone","RecoveryWindowInDays":31}""");
        var both = await FailAsync("DeleteSecret", """{"SecretId":"gone","RecoveryWindowInDays":7,"ForceDeleteWithoutRecovery":true}""");
        await CallAsync("DeleteSecret", """{"SecretId":"gone","ForceDeleteWithoutRecovery":true}""");
        var afterwards = await FailAsync("DescribeSecret", """{"SecretId":"gone"}""");
        var second = await CallAsync("CreateSecret", """{"Name":"gone","SecretString":"v"}""");

        Assert.All([short6, long31, both], e => Assert.Equal("InvalidParameterException", e.Code));
        Assert.StartsWith("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)", short6.Message, StringComparison.Ordinal);
        Assert.StartsWith("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.", both.Message, StringComparison.Ordinal);
        Assert.Equal("ResourceNotFoundException", afterwards.Code);
        Assert.NotEqual(first["ARN"]!.GetValue<string>(), second["ARN"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_secrets_filters_by_name_tag_and_negation_and_pages()
    {
        await CallAsync("CreateSecret", """{"Name":"team/a","SecretString":"v","Tags":[{"Key":"env","Value":"prod"}]}""");
        await CallAsync("CreateSecret", """{"Name":"team/b","SecretString":"v","Tags":[{"Key":"env","Value":"dev"}]}""");
        await CallAsync("CreateSecret", """{"Name":"other","SecretString":"v","Description":"team owned"}""");

        static List<string> Names(System.Text.Json.Nodes.JsonObject r) => r["SecretList"]!.AsArray().Select(s => s!["Name"]!.GetValue<string>()).Order().ToList();
        var byName = await CallAsync("ListSecrets", """{"Filters":[{"Key":"name","Values":["team/"]}]}""");
        var byTag = await CallAsync("ListSecrets", """{"Filters":[{"Key":"tag-value","Values":["prod"]}]}""");
        var notTeam = await CallAsync("ListSecrets", """{"Filters":[{"Key":"name","Values":["!team/"]}]}""");
        var all = await CallAsync("ListSecrets", """{"Filters":[{"Key":"all","Values":["team"]}]}""");
        var page1 = await CallAsync("ListSecrets", """{"MaxResults":2,"SortBy":"name","SortOrder":"asc"}""");
        var page2 = await CallAsync("ListSecrets", $$"""{"MaxResults":2,"SortBy":"name","SortOrder":"asc","NextToken":"{{page1["NextToken"]!.GetValue<string>()}}"}""");
        var badToken = await FailAsync("ListSecrets", """{"NextToken":"nope"}""");

        Assert.Equal(["team/a", "team/b"], Names(byName));
        Assert.Equal(["team/a"], Names(byTag));
        Assert.Equal(["other"], Names(notTeam));
        Assert.Equal(["other", "team/a", "team/b"], Names(all));
        Assert.Equal(["other", "team/a"], page1["SecretList"]!.AsArray().Select(s => s!["Name"]!.GetValue<string>()));
        Assert.Equal(["team/b"], Names(page2));
        Assert.Null(page2["NextToken"]);
        Assert.Equal("InvalidNextTokenException", badToken.Code);
    }

    [Fact]
    public async Task Update_secret_version_stage_moves_labels_by_AWSs_rules()
    {
        await CallAsync("CreateSecret", $$"""{"Name":"staged","SecretString":"one","ClientRequestToken":"{{V1}}"}""");
        await CallAsync("PutSecretValue", $$"""{"SecretId":"staged","SecretString":"two","ClientRequestToken":"{{V2}}","VersionStages":["AWSPENDING"]}""");

        var attached = await FailAsync("UpdateSecretVersionStage", $$"""{"SecretId":"staged","VersionStage":"AWSCURRENT","MoveToVersionId":"{{V2}}"}""");
        await CallAsync("UpdateSecretVersionStage", $$"""{"SecretId":"staged","VersionStage":"AWSCURRENT","MoveToVersionId":"{{V2}}","RemoveFromVersionId":"{{V1}}"}""");
        await CallAsync("UpdateSecretVersionStage", $$"""{"SecretId":"staged","VersionStage":"AWSPENDING","RemoveFromVersionId":"{{V2}}"}""");
        var versions = await CallAsync("ListSecretVersionIds", """{"SecretId":"staged"}""");
        var current = await CallAsync("GetSecretValue", """{"SecretId":"staged"}""");

        Assert.Equal("InvalidParameterException", attached.Code);
        Assert.Contains($"currently attached to version {V1}", attached.Message, StringComparison.Ordinal);
        Assert.Equal("two", current["SecretString"]!.GetValue<string>());
        var stages = versions["Versions"]!.AsArray().ToDictionary(v => v!["VersionId"]!.GetValue<string>(), v => v!["VersionStages"]!.AsArray().Select(s => s!.GetValue<string>()).ToList());
        Assert.Equal(["AWSCURRENT"], stages[V2]);
        Assert.Equal(["AWSPREVIOUS"], stages[V1]);
    }

    [Fact]
    public async Task Tags_are_merged_and_removed()
    {
        await CallAsync("CreateSecret", """{"Name":"tagged","SecretString":"v","Tags":[{"Key":"a","Value":"1"}]}""");
        await CallAsync("TagResource", """{"SecretId":"tagged","Tags":[{"Key":"a","Value":"2"},{"Key":"b","Value":"3"}]}""");
        await CallAsync("UntagResource", """{"SecretId":"tagged","TagKeys":["b"]}""");

        var described = await CallAsync("DescribeSecret", """{"SecretId":"tagged"}""");

        Assert.Equal("""[{"Key":"a","Value":"2"}]""", described["Tags"]!.ToJsonString());
    }
}
