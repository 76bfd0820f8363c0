using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.SecretsManager;

/// <summary>BatchGetSecretValue: by id list or filters, pages, and per-secret errors for missing, denied and deleted secrets.</summary>
public sealed class BatchGetSecretValueTests : SecretsManagerFixture
{
    [Fact]
    public async Task A_list_reads_each_secret_and_reports_the_missing_and_deleted_ones_as_errors()
    {
        var arn = (await CallAsync("CreateSecret", """{"Name":"batch/a","SecretString":"alpha"}"""))["ARN"]!.GetValue<string>();
        await CallAsync("CreateSecret", """{"Name":"batch/b","SecretBinary":"AAH/"}""");
        await CallAsync("CreateSecret", """{"Name":"batch/gone","SecretString":"x"}""");
        await CallAsync("DeleteSecret", """{"SecretId":"batch/gone"}""");

        var result = await CallAsync("BatchGetSecretValue", $$"""{"SecretIdList":["{{arn}}","batch/b","batch/missing","batch/gone"]}""");

        var values = result["SecretValues"]!.AsArray();
        Assert.Equal(["batch/a", "batch/b"], values.Select(v => v!["Name"]!.GetValue<string>()));
        Assert.Equal("alpha", values[0]!["SecretString"]!.GetValue<string>());
        Assert.Equal(arn, values[0]!["ARN"]!.GetValue<string>());
        Assert.Equal("AAH/", values[1]!["SecretBinary"]!.GetValue<string>());
        Assert.Equal(["AWSCURRENT"], values[0]!["VersionStages"]!.AsArray().Select(s => s!.GetValue<string>()));
        var errors = Errors(result);
        Assert.Equal("ResourceNotFoundException", errors["batch/missing"].Code);
        Assert.Equal("InvalidRequestException", errors["batch/gone"].Code);
        Assert.Contains("marked for deletion", errors["batch/gone"].Message, StringComparison.Ordinal);
        Assert.Null(result["NextToken"]);
    }

    [Fact]
    public async Task Each_secret_is_authorized_on_its_own_and_the_call_needs_BatchGetSecretValue()
    {
        await CallAsync("CreateSecret", """{"Name":"team/mine","SecretString":"m"}""");
        await CallAsync("CreateSecret", """{"Name":"team/theirs","SecretString":"t"}""");
        var reader = await UserAsync($$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"secretsmanager:BatchGetSecretValue","Resource":"*"},
              {"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:{{Region}}:{{Account}}:secret:team/mine-??????"}]}
            """);
        var noBatch = await UserAsync(Allow("""["secretsmanager:GetSecretValue"]"""));

        var result = await CallAsync("BatchGetSecretValue", """{"SecretIdList":["team/mine","team/theirs"]}""", reader);
        var refused = await FailAsync("BatchGetSecretValue", """{"SecretIdList":["team/mine"]}""", noBatch);
        var filtersNeedList = await FailAsync("BatchGetSecretValue", """{"Filters":[{"Key":"name","Values":["team/"]}]}""", reader);

        Assert.Equal("m", Assert.Single(result["SecretValues"]!.AsArray())!["SecretString"]!.GetValue<string>());
        var denied = Errors(result)["team/theirs"];
        Assert.Equal("AccessDeniedException", denied.Code);
        Assert.Contains("secretsmanager:GetSecretValue", denied.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"t\"", result.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("AccessDeniedException", refused.Code);
        Assert.Contains("secretsmanager:BatchGetSecretValue", refused.Message, StringComparison.Ordinal);
        Assert.Equal("AccessDeniedException", filtersNeedList.Code);
        Assert.Contains("secretsmanager:ListSecrets", filtersNeedList.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_select_the_secrets_and_MaxResults_pages_them()
    {
        for (var i = 0; i < 5; i++)
        {
            await CallAsync("CreateSecret", $$"""{"Name":"paged/s{{i}}","SecretString":"v{{i}}"}""");
        }

        await CallAsync("CreateSecret", """{"Name":"elsewhere","SecretString":"no"}""");
        var read = new List<string>();
        string? token = null;
        var calls = 0;
        do
        {
            var request = new JsonObject { ["Filters"] = JsonNode.Parse("""[{"Key":"name","Values":["paged/"]}]"""), ["MaxResults"] = 2 };
            if (token is not null)
            {
                request["NextToken"] = token;
            }

            var page = await CallAsync("BatchGetSecretValue", request.ToJsonString());
            Assert.Empty(page["Errors"]!.AsArray());
            read.AddRange(page["SecretValues"]!.AsArray().Select(v => v!["SecretString"]!.GetValue<string>()));
            token = page["NextToken"]?.GetValue<string>();
            calls++;
        }
        while (token is not null && calls < 10);

        Assert.Equal(3, calls);
        Assert.Equal(["v0", "v1", "v2", "v3", "v4"], read);
    }

    [Fact]
    public async Task Both_or_neither_of_the_list_and_filters_and_more_than_20_ids_are_refused()
    {
        var neither = await FailAsync("BatchGetSecretValue", "{}");
        var both = await FailAsync("BatchGetSecretValue", """{"SecretIdList":["a"],"Filters":[{"Key":"name","Values":["a"]}]}""");
        var pagedList = await FailAsync("BatchGetSecretValue", """{"SecretIdList":["a"],"MaxResults":5}""");
        var tooMany = await FailAsync("BatchGetSecretValue", new JsonObject { ["SecretIdList"] = new JsonArray(Enumerable.Range(0, 21).Select(i => (JsonNode?)$"s{i}").ToArray()) }.ToJsonString());

        Assert.Equal("InvalidParameterException", neither.Code);
        Assert.Equal("InvalidParameterException", both.Code);
        Assert.Equal("InvalidParameterException", pagedList.Code);
        Assert.Equal("ValidationException", tooMany.Code);
    }

    private static Dictionary<string, (string Code, string Message)> Errors(JsonObject result) =>
        result["Errors"]!.AsArray().ToDictionary(e => e!["SecretId"]!.GetValue<string>(), e => (e!["ErrorCode"]!.GetValue<string>(), e!["Message"]!.GetValue<string>()));
}
