namespace Cairn.Server.Tests.Ssm;

public sealed class DeleteLabelTagTests : SsmFixture
{
    [Fact]
    public async Task Delete_removes_the_parameter_and_a_second_delete_is_ParameterNotFound()
    {
        await PutAsync("/del", "v");

        Assert.Equal("{}", (await CallAsync("DeleteParameter", """{"Name":"/del"}""")).ToJsonString());
        Assert.Equal("ParameterNotFound", (await FailsAsync("GetParameter", """{"Name":"/del"}""")).Code);
        Assert.Equal("ParameterNotFound", (await FailsAsync("DeleteParameter", """{"Name":"/del"}""")).Code);
        Assert.Contains(("ssm:DeleteParameter", Arn("del")), Authorizer.Calls);
    }

    [Fact]
    public async Task Delete_many_reports_deleted_and_invalid_names()
    {
        await PutAsync("/x1", "v");
        await PutAsync("x2", "v");

        var result = await CallAsync("DeleteParameters", """{"Names":["/x1","/x2","/nope","/x1"]}""");

        Assert.Equal(["/x1", "/x2"], Strings(result, "DeletedParameters"));
        Assert.Equal(["/nope"], Strings(result, "InvalidParameters"));
        Assert.Equal("1 validation error detected: Value '[]' at 'names' failed to satisfy constraint: Member must have length greater than or equal to 1",
            (await FailsAsync("DeleteParameters", """{"Names":[]}""")).Message);
    }

    [Fact]
    public async Task Label_defaults_to_the_latest_version_and_reports_invalid_labels()
    {
        await PutAsync("/lab", "one");
        await OverwriteAsync("/lab", "two");

        var result = await CallAsync("LabelParameterVersion", """{"Name":"/lab","Labels":["prod","aws-x","9lives"]}""");

        Assert.Equal(2, result["ParameterVersion"]!.GetValue<long>());
        Assert.Equal(["aws-x", "9lives"], Strings(result, "InvalidLabels"));
        Assert.Equal("two", (await GetAsync("/lab:prod"))["Value"]!.GetValue<string>());
        Assert.Contains(("ssm:LabelParameterVersion", Arn("lab")), Authorizer.Calls);
    }

    [Fact]
    public async Task Label_errors_name_the_parameter_and_version()
    {
        Assert.Equal("ParameterNotFound", (await FailsAsync("LabelParameterVersion", """{"Name":"/none","Labels":["a"]}""")).Code);
        await PutAsync("/lv", "v");

        var error = await FailsAsync("LabelParameterVersion", """{"Name":"/lv","ParameterVersion":3,"Labels":["a"]}""");

        Assert.Equal(("ParameterVersionNotFound", "Systems Manager could not find version 3 of /lv. Verify the version and try again."), (error.Code, error.Message));
    }

    [Fact]
    public async Task Label_lists_are_limited_in_count_and_length()
    {
        await PutAsync("/lim", "v");
        var eleven = string.Join(",", Enumerable.Range(0, 11).Select(i => $"\"l{i}\""));
        var longLabel = new string('a', 101);

        Assert.Equal("ValidationException", (await FailsAsync("LabelParameterVersion", $$"""{"Name":"/lim","Labels":[{{eleven}}]}""")).Code);
        Assert.Equal(
            $"1 validation error detected: Value '[{longLabel}]' at 'labels' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 100, Member must have length greater than or equal to 1]",
            (await FailsAsync("LabelParameterVersion", $$"""{"Name":"/lim","Labels":["{{longLabel}}"]}""")).Message);

        await CallAsync("LabelParameterVersion", $$"""{"Name":"/lim","Labels":[{{string.Join(",", Enumerable.Range(0, 10).Select(i => $"\"l{i}\""))}}]}""");
        Assert.Equal("ParameterVersionLabelLimitExceeded", (await FailsAsync("LabelParameterVersion", """{"Name":"/lim","Labels":["more"]}""")).Code);
    }

    [Fact]
    public async Task Unlabel_removes_labels_of_that_version_only()
    {
        await PutAsync("/un", "one");
        await OverwriteAsync("/un", "two");
        await CallAsync("LabelParameterVersion", """{"Name":"/un","ParameterVersion":1,"Labels":["a","b"]}""");

        var result = await CallAsync("UnlabelParameterVersion", """{"Name":"/un","ParameterVersion":1,"Labels":["a","zz"]}""");

        Assert.Equal(["a"], Strings(result, "RemovedLabels"));
        Assert.Equal(["zz"], Strings(result, "InvalidLabels"));
        Assert.Equal("ParameterVersionNotFound", (await FailsAsync("GetParameter", """{"Name":"/un:a"}""")).Code);
        Assert.Equal("ParameterVersionNotFound", (await FailsAsync("UnlabelParameterVersion", """{"Name":"/un","ParameterVersion":9,"Labels":["b"]}""")).Code);
        Assert.Equal("ParameterNotFound", (await FailsAsync("UnlabelParameterVersion", """{"Name":"/none","ParameterVersion":1,"Labels":["b"]}""")).Code);
        Assert.Equal("1 validation error detected: Value null at 'parameterVersion' failed to satisfy constraint: Member must not be null",
            (await FailsAsync("UnlabelParameterVersion", """{"Name":"/un","Labels":["b"]}""")).Message);
    }

    [Fact]
    public async Task A_labelled_oldest_version_blocks_the_101st_write_with_AWS_text()
    {
        await PutAsync("/full", "v1");
        await CallAsync("LabelParameterVersion", """{"Name":"/full","ParameterVersion":1,"Labels":["first"]}""");
        for (var i = 2; i <= 100; i++)
        {
            await OverwriteAsync("/full", $"v{i}");
        }

        var error = await FailsAsync("PutParameter", """{"Name":"/full","Value":"v101","Overwrite":true}""");

        Assert.Equal("ParameterMaxVersionLimitExceeded", error.Code);
        Assert.StartsWith("You attempted to create a new version of /full by calling the PutParameter API with the overwrite flag. Version 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tags_are_added_listed_sorted_and_removed()
    {
        await PutAsync("/tg", "v", extra: ""","Tags":[{"Key":"team","Value":"a"}]""");

        await CallAsync("AddTagsToResource", """{"ResourceType":"Parameter","ResourceId":"/tg","Tags":[{"Key":"env","Value":"prod"},{"Key":"team","Value":"b"}]}""");
        var listed = await CallAsync("ListTagsForResource", """{"ResourceType":"Parameter","ResourceId":"tg"}""");
        Assert.Equal("""{"TagList":[{"Key":"env","Value":"prod"},{"Key":"team","Value":"b"}]}""", listed.ToJsonString());

        await CallAsync("RemoveTagsFromResource", """{"ResourceType":"Parameter","ResourceId":"/tg","TagKeys":["team"]}""");
        Assert.Equal("""{"TagList":[{"Key":"env","Value":"prod"}]}""", (await CallAsync("ListTagsForResource", """{"ResourceType":"Parameter","ResourceId":"/tg"}""")).ToJsonString());
        Assert.Contains(("ssm:AddTagsToResource", Arn("tg")), Authorizer.Calls);
        Assert.Contains(("ssm:RemoveTagsFromResource", Arn("tg")), Authorizer.Calls);
        Assert.Contains(("ssm:ListTagsForResource", Arn("tg")), Authorizer.Calls);
    }

    [Fact]
    public async Task Tagging_errors_follow_AWS()
    {
        Assert.Equal("InvalidResourceId", (await FailsAsync("AddTagsToResource", """{"ResourceType":"Parameter","ResourceId":"/none","Tags":[{"Key":"a","Value":"b"}]}""")).Code);
        Assert.Equal("InvalidResourceId", (await FailsAsync("ListTagsForResource", """{"ResourceType":"Parameter","ResourceId":"/none"}""")).Code);
        Assert.Equal("InvalidResourceId", (await FailsAsync("RemoveTagsFromResource", """{"ResourceType":"Document","ResourceId":"doc","TagKeys":["a"]}""")).Code);
        Assert.Equal("InvalidResourceType", (await FailsAsync("ListTagsForResource", """{"ResourceType":"Bucket","ResourceId":"/x"}""")).Code);

        await PutAsync("/many", "v");
        var fifty = string.Join(",", Enumerable.Range(0, 51).Select(i => $$"""{"Key":"k{{i}}","Value":"v"}"""));
        Assert.Equal("TooManyTagsError", (await FailsAsync("AddTagsToResource", $$"""{"ResourceType":"Parameter","ResourceId":"/many","Tags":[{{fifty}}]}""")).Code);
    }
}
