namespace Cairn.Server.Tests.Ssm;

public sealed class ListingTests : SsmFixture
{
    private async Task SeedTreeAsync()
    {
        foreach (var name in new[] { "/app/a", "/app/b", "/app/sub/c", "/apple/x", "root1", "/root2" })
        {
            await PutAsync(name, "v-" + name.TrimStart('/'));
        }
    }

    [Fact]
    public async Task By_path_lists_one_level_unless_recursive()
    {
        await SeedTreeAsync();

        Assert.Equal(["/app/a", "/app/b"], Names(await CallAsync("GetParametersByPath", """{"Path":"/app"}""")));
        Assert.Equal(["/app/a", "/app/b", "/app/sub/c"], Names(await CallAsync("GetParametersByPath", """{"Path":"/app/","Recursive":true}""")));
        Assert.Contains(("ssm:GetParametersByPath", Arn("app")), Authorizer.Calls);
    }

    [Fact]
    public async Task Path_slash_lists_root_level_parameters()
    {
        await SeedTreeAsync();

        Assert.Equal(["root1", "/root2"], Names(await CallAsync("GetParametersByPath", """{"Path":"/"}""")));
        Assert.Equal(6, Names(await CallAsync("GetParametersByPath", """{"Path":"/","Recursive":true}""")).Count);
    }

    [Fact]
    public async Task By_path_pages_with_NextToken_until_done()
    {
        for (var i = 0; i < 25; i++)
        {
            await PutAsync($"/many/p{i:D2}", "v");
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var request = token is null ? """{"Path":"/many","MaxResults":10}""" : $$"""{"Path":"/many","MaxResults":10,"NextToken":"{{token}}"}""";
            var page = await CallAsync("GetParametersByPath", request);
            seen.AddRange(Names(page));
            token = page["NextToken"]?.GetValue<string>();
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"/many/p{i:D2}"), seen);
    }

    [Fact]
    public async Task By_path_checks_MaxResults_tokens_paths_and_filter_keys()
    {
        Assert.Equal(
            "1 validation error detected: Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10",
            (await FailsAsync("GetParametersByPath", """{"Path":"/x","MaxResults":11}""")).Message);
        Assert.Equal("InvalidNextToken", (await FailsAsync("GetParametersByPath", """{"Path":"/x","NextToken":"bogus"}""")).Code);
        Assert.Equal("ValidationException", (await FailsAsync("GetParametersByPath", """{"Path":"x"}""")).Code);
        Assert.Equal("InvalidFilterKey", (await FailsAsync("GetParametersByPath", """{"Path":"/x","ParameterFilters":[{"Key":"Name","Values":["a"]}]}""")).Code);
        Assert.Equal("InvalidFilterOption", (await FailsAsync("GetParametersByPath", """{"Path":"/x","ParameterFilters":[{"Key":"Type","Option":"Contains","Values":["String"]}]}""")).Code);
        Assert.Equal(
            "1 validation error detected: Value 'Bogus' at 'parameterFilters.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType",
            (await FailsAsync("GetParametersByPath", """{"Path":"/x","ParameterFilters":[{"Key":"Bogus","Values":["a"]}]}""")).Message);
    }

    [Fact]
    public async Task By_path_filters_by_type_and_returns_the_labelled_version_for_a_label_filter()
    {
        await PutAsync("/f/plain", "p");
        await PutAsync("/f/secret", "s", "SecureString");
        await OverwriteAsync("/f/plain", "p2");
        await CallAsync("LabelParameterVersion", """{"Name":"/f/plain","ParameterVersion":1,"Labels":["stable"]}""");

        Assert.Equal(["/f/secret"], Names(await CallAsync("GetParametersByPath", """{"Path":"/f","ParameterFilters":[{"Key":"Type","Values":["SecureString"]}]}""")));

        var labelled = await CallAsync("GetParametersByPath", """{"Path":"/f","ParameterFilters":[{"Key":"Label","Values":["stable"]}]}""");
        var parameter = labelled["Parameters"]![0]!;
        Assert.Single(labelled["Parameters"]!.AsArray());
        Assert.Equal(("p", 1L), (parameter["Value"]!.GetValue<string>(), parameter["Version"]!.GetValue<long>()));
    }

    [Fact]
    public async Task By_path_decrypts_when_asked()
    {
        await PutAsync("/enc/s", "plain", "SecureString");

        var page = await CallAsync("GetParametersByPath", """{"Path":"/enc","WithDecryption":true}""");

        Assert.Equal("plain", page["Parameters"]![0]!["Value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Describe_returns_metadata_with_ARN_tier_policies_and_no_value()
    {
        await PutAsync("/d/one", "v", extra: ""","Description":"first","AllowedPattern":"v" """);

        var metadata = (await CallAsync("DescribeParameters", "{}"))["Parameters"]![0]!.AsObject();

        Assert.Equal(
            ["Name", "ARN", "Type", "LastModifiedDate", "LastModifiedUser", "Description", "AllowedPattern", "Version", "Tier", "Policies", "DataType"],
            ((IDictionary<string, System.Text.Json.Nodes.JsonNode?>)metadata).Keys);
        Assert.Equal(Arn("d/one"), metadata["ARN"]!.GetValue<string>());
        Assert.Contains(("ssm:DescribeParameters", $"arn:aws:ssm:{Region}:{Account}:*"), Authorizer.Calls);
    }

    [Fact]
    public async Task Describe_filters_by_name_path_tags_and_the_deprecated_filters()
    {
        await SeedTreeAsync();
        await CallAsync("AddTagsToResource", """{"ResourceType":"Parameter","ResourceId":"/app/b","Tags":[{"Key":"env","Value":"prod"}]}""");

        Assert.Equal(["/app/a", "/app/b", "/app/sub/c"], Names(await CallAsync("DescribeParameters", """{"ParameterFilters":[{"Key":"Name","Option":"BeginsWith","Values":["/app/"]}]}""")));
        Assert.Equal(["/app/sub/c"], Names(await CallAsync("DescribeParameters", """{"ParameterFilters":[{"Key":"Name","Option":"Contains","Values":["sub"]}]}""")));
        Assert.Equal(["/app/a", "/app/b"], Names(await CallAsync("DescribeParameters", """{"ParameterFilters":[{"Key":"Path","Values":["/app"]}]}""")));
        Assert.Equal(["/app/b"], Names(await CallAsync("DescribeParameters", """{"ParameterFilters":[{"Key":"tag:env","Values":["prod"]}]}""")));
        Assert.Equal(["/apple/x"], Names(await CallAsync("DescribeParameters", """{"Filters":[{"Key":"Name","Values":["/apple"]}]}""")));
        Assert.Equal(["root1"], Names(await CallAsync("DescribeParameters", """{"ParameterFilters":[{"Key":"Name","Values":["root1"]}]}""")));
    }

    [Fact]
    public async Task Describe_refuses_both_filter_kinds_labels_and_oversized_pages()
    {
        var both = await FailsAsync("DescribeParameters", """{"Filters":[{"Key":"Name","Values":["a"]}],"ParameterFilters":[{"Key":"Name","Values":["a"]}]}""");
        Assert.Equal(("ValidationException", "You can use either Filters or ParameterFilters in a single request."), (both.Code, both.Message));
        Assert.Equal("InvalidFilterKey", (await FailsAsync("DescribeParameters", """{"ParameterFilters":[{"Key":"Label","Values":["a"]}]}""")).Code);
        Assert.Equal(
            "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
            (await FailsAsync("DescribeParameters", """{"MaxResults":51}""")).Message);
        Assert.Equal(
            "1 validation error detected: Value 'Tier' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [Name, Type, KeyId]",
            (await FailsAsync("DescribeParameters", """{"Filters":[{"Key":"Tier","Values":["Standard"]}]}""")).Message);
        Assert.Equal("InvalidNextToken", (await FailsAsync("DescribeParameters", """{"NextToken":"x"}""")).Code);
    }

    [Fact]
    public async Task Describe_pages_and_shared_lists_nothing()
    {
        await SeedTreeAsync();

        var first = await CallAsync("DescribeParameters", """{"MaxResults":4}""");
        var second = await CallAsync("DescribeParameters", $$"""{"MaxResults":4,"NextToken":"{{first["NextToken"]!.GetValue<string>()}}"}""");

        Assert.Equal(4, Names(first).Count);
        Assert.Equal(2, Names(second).Count);
        Assert.Null(second["NextToken"]);
        Assert.Empty(Names(await CallAsync("DescribeParameters", """{"Shared":true}""")));
    }

    [Fact]
    public async Task History_lists_every_version_with_labels_and_pages()
    {
        await PutAsync("/h", "v1", extra: ""","Description":"d" """);
        await OverwriteAsync("/h", "v2");
        await OverwriteAsync("/h", "v3");
        await CallAsync("LabelParameterVersion", """{"Name":"/h","ParameterVersion":2,"Labels":["mid"]}""");

        var first = await CallAsync("GetParameterHistory", """{"Name":"/h","MaxResults":2}""");
        var rest = await CallAsync("GetParameterHistory", $$"""{"Name":"/h","MaxResults":2,"NextToken":"{{first["NextToken"]!.GetValue<string>()}}"}""");

        var entries = first["Parameters"]!.AsArray().Concat(rest["Parameters"]!.AsArray()).ToList();
        Assert.Equal(["v1", "v2", "v3"], entries.Select(e => e!["Value"]!.GetValue<string>()));
        Assert.Equal("mid", entries[1]!["Labels"]![0]!.GetValue<string>());
        Assert.Equal("d", entries[2]!["Description"]!.GetValue<string>());
        Assert.Equal(UserArn, entries[0]!["LastModifiedUser"]!.GetValue<string>());
        Assert.Null(rest["NextToken"]);
        Assert.Contains(("ssm:GetParameterHistory", Arn("h")), Authorizer.Calls);
    }

    [Fact]
    public async Task History_of_a_missing_parameter_is_ParameterNotFound_and_decrypts_when_asked()
    {
        Assert.Equal("ParameterNotFound", (await FailsAsync("GetParameterHistory", """{"Name":"/none"}""")).Code);

        await PutAsync("/hs", "secret", "SecureString");
        var entry = (await CallAsync("GetParameterHistory", """{"Name":"/hs","WithDecryption":true}"""))["Parameters"]![0]!;
        Assert.Equal(("secret", "alias/aws/ssm"), (entry["Value"]!.GetValue<string>(), entry["KeyId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Deleted_names_do_not_appear_in_listings()
    {
        await SeedTreeAsync();
        await CallAsync("DeleteParameter", """{"Name":"/app/a"}""");

        Assert.DoesNotContain("/app/a", Names(await CallAsync("DescribeParameters", """{"MaxResults":50}""")));
    }
}
