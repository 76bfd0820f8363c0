using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.CodePipeline;

public sealed class PipelineOperationTests : CodePipelineFixture
{
    private static JsonObject Name(string name = "flask-app", int? version = null)
    {
        var input = new JsonObject { ["name"] = name };
        if (version is not null)
        {
            input["version"] = version;
        }

        return input;
    }

    [Fact]
    public async Task Create_returns_the_declaration_at_version_1_with_AWSs_defaults_and_the_tags()
    {
        var pipeline = Story();
        pipeline.Remove("executionMode");
        var created = await CallAsync("CreatePipeline", new JsonObject { ["pipeline"] = pipeline, ["tags"] = StoryInput()["tags"]!.DeepClone() });

        var declared = created["pipeline"]!;
        Assert.Equal(1, declared["version"]!.GetValue<int>());
        Assert.Equal("SUPERSEDED", declared["executionMode"]!.GetValue<string>());
        Assert.Equal("V2", declared["pipelineType"]!.GetValue<string>());
        var manual = declared["stages"]![2]!["actions"]![0]!;
        Assert.Equal(1, manual["runOrder"]!.GetValue<int>());
        Assert.Empty(manual["inputArtifacts"]!.AsArray());
        Assert.Empty(manual["outputArtifacts"]!.AsArray());
        Assert.Equal("web", created["tags"]![0]!["value"]!.GetValue<string>());
        Assert.Contains(("codepipeline:CreatePipeline", PipelineArn("flask-app")), Authorizer.Calls);
    }

    [Fact]
    public async Task Create_checks_iam_PassRole_on_the_pipeline_role_passed_to_codepipeline()
    {
        await CreateAsync(Story());

        var passRole = Authorizer.Requests.Single(r => r.Action == "iam:PassRole");
        Assert.Equal(Role, passRole.ResourceArn);
        Assert.Equal("codepipeline.amazonaws.com", passRole.Conditions["iam:PassedToService"]);
        Assert.Equal(PipelineArn("flask-app"), passRole.Conditions["iam:AssociatedResourceArn"]);
    }

    [Fact]
    public async Task Create_without_PassRole_is_AccessDenied_with_the_statement_that_grants_it_and_stores_nothing()
    {
        Authorizer.Denied.Add(("iam:PassRole", Role));

        var error = await CreateFailsAsync(Story());

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Contains($"is not authorized to perform: iam:PassRole on resource: {Role}", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"iam:PassedToService\":\"codepipeline.amazonaws.com\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_without_PassRole_is_AccessDenied_and_the_version_stays()
    {
        await CreateAsync(Story());
        Authorizer.Denied.Add(("iam:PassRole", Role));

        var error = await FailsAsync("UpdatePipeline", new JsonObject { ["pipeline"] = Story() });
        Authorizer.Denied.Clear();
        var stored = await CallAsync("GetPipeline", Name());

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Equal(1, stored["pipeline"]!["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Creating_a_pipeline_whose_name_is_taken_is_PipelineNameInUseException()
    {
        await CreateAsync(Story());

        var error = await FailsAsync("CreatePipeline", new JsonObject { ["pipeline"] = Story() });

        Assert.Equal("PipelineNameInUseException", error.Code);
        Assert.Equal($"A pipeline with the name 'flask-app' already exists in account '{Account}'", error.Message);
    }

    [Fact]
    public async Task Get_returns_the_pipeline_with_its_arn_and_times_in_metadata()
    {
        await CreateAsync(Story());
        Time.Advance(TimeSpan.FromMinutes(5));
        await CallAsync("UpdatePipeline", new JsonObject { ["pipeline"] = Story() });

        var got = await CallAsync("GetPipeline", Name());

        Assert.Equal(2, got["pipeline"]!["version"]!.GetValue<int>());
        Assert.Equal(PipelineArn("flask-app"), got["metadata"]!["pipelineArn"]!.GetValue<string>());
        Assert.Equal(Start.ToUnixTimeSeconds(), got["metadata"]!["created"]!.GetValue<double>());
        Assert.Equal(Start.AddMinutes(5).ToUnixTimeSeconds(), got["metadata"]!["updated"]!.GetValue<double>());
        Assert.Contains(("codepipeline:GetPipeline", PipelineArn("flask-app")), Authorizer.Calls);
    }

    [Fact]
    public async Task Update_stores_the_next_version_and_get_reads_any_earlier_one()
    {
        await CreateAsync(Story());
        var changed = Story();
        changed["version"] = 1;
        Action(changed, "Deploy", "Deploy")["configuration"]!["ServiceName"] = "flask-app-v2";

        var updated = await CallAsync("UpdatePipeline", new JsonObject { ["pipeline"] = changed });
        var first = await CallAsync("GetPipeline", Name(version: 1));

        Assert.Equal(2, updated["pipeline"]!["version"]!.GetValue<int>());
        Assert.Equal("flask-app-v2", updated["pipeline"]!["stages"]![3]!["actions"]![0]!["configuration"]!["ServiceName"]!.GetValue<string>());
        Assert.Equal(1, first["pipeline"]!["version"]!.GetValue<int>());
        Assert.Equal("flask-app", first["pipeline"]!["stages"]![3]!["actions"]![0]!["configuration"]!["ServiceName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_of_a_version_the_pipeline_never_had_is_PipelineVersionNotFoundException()
    {
        await CreateAsync(Story());

        var error = await FailsAsync("GetPipeline", Name(version: 5));

        Assert.Equal("PipelineVersionNotFoundException", error.Code);
        Assert.StartsWith("Pipeline 'flask-app' does not have version '5': its versions are 1 to 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_and_update_of_a_missing_pipeline_are_PipelineNotFoundException_in_AWSs_words()
    {
        var get = await FailsAsync("GetPipeline", Name("nothing"));
        var update = await FailsAsync("UpdatePipeline", new JsonObject { ["pipeline"] = Story() });

        Assert.Equal("PipelineNotFoundException", get.Code);
        Assert.Equal($"Account '{Account}' does not have a pipeline with name 'nothing'", get.Message);
        Assert.Equal("PipelineNotFoundException", update.Code);
        Assert.Empty((await CallAsync("ListPipelines", []))["pipelines"]!.AsArray());
    }

    [Fact]
    public async Task Delete_removes_the_pipeline_and_deleting_again_succeeds()
    {
        await CreateAsync(Story());

        await CallAsync("DeletePipeline", Name());
        await CallAsync("DeletePipeline", Name());
        var error = await FailsAsync("GetPipeline", Name());

        Assert.Equal("PipelineNotFoundException", error.Code);
        Assert.Contains(("codepipeline:DeletePipeline", PipelineArn("flask-app")), Authorizer.Calls);
    }

    [Fact]
    public async Task List_pages_with_maxResults_and_nextToken_in_name_order()
    {
        foreach (var name in new[] { "c-app", "a-app", "b-app" })
        {
            var pipeline = Story();
            pipeline["name"] = name;
            await CreateAsync(pipeline);
        }

        var first = await CallAsync("ListPipelines", new JsonObject { ["maxResults"] = 2 });
        var rest = await CallAsync("ListPipelines", new JsonObject { ["maxResults"] = 2, ["nextToken"] = first["nextToken"]!.DeepClone() });

        Assert.Equal(["a-app", "b-app"], first["pipelines"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        var summary = first["pipelines"]![0]!;
        Assert.Equal(1, summary["version"]!.GetValue<int>());
        Assert.Equal("V2", summary["pipelineType"]!.GetValue<string>());
        Assert.Equal("QUEUED", summary["executionMode"]!.GetValue<string>());
        Assert.Equal(Start.ToUnixTimeSeconds(), summary["created"]!.GetValue<double>());
        Assert.Equal(["c-app"], rest["pipelines"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Null(rest["nextToken"]);
    }

    [Fact]
    public async Task A_next_token_cairn_did_not_issue_is_InvalidNextTokenException()
    {
        var error = await FailsAsync("ListPipelines", new JsonObject { ["nextToken"] = "not-a-token" });

        Assert.Equal("InvalidNextTokenException", error.Code);
    }

    [Fact]
    public async Task List_action_types_has_AWSs_providers_with_their_keys_and_artifact_counts()
    {
        var all = await CallAsync("ListActionTypes", []);
        var thirdParty = await CallAsync("ListActionTypes", new JsonObject { ["actionOwnerFilter"] = "ThirdParty" });

        var types = all["actionTypes"]!.AsArray();
        var build = types.Single(t => t!["id"]!["category"]!.GetValue<string>() == "Build" && t["id"]!["provider"]!.GetValue<string>() == "CodeBuild")!;
        var projectName = build["actionConfigurationProperties"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "ProjectName")!;
        Assert.True(projectName["required"]!.GetValue<bool>());
        Assert.Equal(1, build["inputArtifactDetails"]!["minimumCount"]!.GetValue<int>());
        Assert.Equal(5, build["outputArtifactDetails"]!["maximumCount"]!.GetValue<int>());
        foreach (var provider in new[] { "CodeStarSourceConnection", "Manual", "ECS", "EKS", "CloudFormation", "Lambda" })
        {
            Assert.Contains(types, t => t!["id"]!["provider"]!.GetValue<string>() == provider);
        }

        Assert.Empty(thirdParty["actionTypes"]!.AsArray());
        Assert.Contains(("codepipeline:ListActionTypes", "*"), Authorizer.Calls);
    }

    [Fact]
    public async Task Tags_are_added_replaced_listed_and_removed()
    {
        await CallAsync("CreatePipeline", new JsonObject { ["pipeline"] = Story(), ["tags"] = StoryInput()["tags"]!.DeepClone() });
        var arn = PipelineArn("flask-app");

        await CallAsync("TagResource", new JsonObject
        {
            ["resourceArn"] = arn,
            ["tags"] = new JsonArray(new JsonObject { ["key"] = "team", ["value"] = "platform" }, new JsonObject { ["key"] = "env", ["value"] = "prod" }),
        });
        var tagged = await CallAsync("ListTagsForResource", new JsonObject { ["resourceArn"] = arn });
        await CallAsync("UntagResource", new JsonObject { ["resourceArn"] = arn, ["tagKeys"] = new JsonArray("team", "absent") });
        var untagged = await CallAsync("ListTagsForResource", new JsonObject { ["resourceArn"] = arn });

        Assert.Equal(["team=platform", "env=prod"], tagged["tags"]!.AsArray().Select(t => $"{t!["key"]}={t["value"]}"));
        Assert.Equal(["env=prod"], untagged["tags"]!.AsArray().Select(t => $"{t!["key"]}={t["value"]}"));
        Assert.Contains(("codepipeline:TagResource", arn), Authorizer.Calls);
        Assert.Contains(("codepipeline:UntagResource", arn), Authorizer.Calls);
    }

    [Fact]
    public async Task Tag_rules_reserved_keys_duplicates_and_the_limit_of_50()
    {
        await CreateAsync(Story());
        var arn = PipelineArn("flask-app");
        JsonObject Tagging(params string[] keys) =>
            new() { ["resourceArn"] = arn, ["tags"] = new JsonArray(keys.Select(k => (JsonNode)new JsonObject { ["key"] = k, ["value"] = "v" }).ToArray()) };

        var reserved = await FailsAsync("TagResource", Tagging("aws:owner"));
        var duplicate = await FailsAsync("TagResource", Tagging("a", "a"));
        var tooMany = await FailsAsync("TagResource", Tagging(Enumerable.Range(0, 51).Select(i => $"k{i}").ToArray()));
        var listed = await CallAsync("ListTagsForResource", new JsonObject { ["resourceArn"] = arn });

        Assert.Equal("InvalidTagsException", reserved.Code);
        Assert.Contains("'aws:owner'", reserved.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidTagsException", duplicate.Code);
        Assert.Equal("TooManyTagsException", tooMany.Code);
        Assert.Contains("this would give it 51", tooMany.Message, StringComparison.Ordinal);
        Assert.Empty(listed["tags"]!.AsArray());
    }

    [Fact]
    public async Task Tags_on_a_missing_pipeline_are_ResourceNotFound_and_on_a_foreign_arn_InvalidArn()
    {
        var missing = await FailsAsync("ListTagsForResource", new JsonObject { ["resourceArn"] = PipelineArn("nothing") });
        var foreign = await FailsAsync("TagResource", new JsonObject
        {
            ["resourceArn"] = "arn:aws:codepipeline:eu-west-1:000000000000:flask-app",
            ["tags"] = new JsonArray(new JsonObject { ["key"] = "k", ["value"] = "v" }),
        });
        var malformed = await FailsAsync("UntagResource", new JsonObject { ["resourceArn"] = "arn:aws:codebuild:us-east-1:000000000000:project/x", ["tagKeys"] = new JsonArray("k") });

        Assert.Equal("ResourceNotFoundException", missing.Code);
        Assert.Contains(PipelineArn("nothing"), missing.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidArnException", foreign.Code);
        Assert.Equal("ValidationException", malformed.Code);
    }
}
