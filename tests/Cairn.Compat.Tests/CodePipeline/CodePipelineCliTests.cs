using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.CodePipeline;

/// <summary>
/// CodePipeline's definitions API driven by the real aws CLI v2 and boto3, with the user's story
/// (examples/flask-app/pipeline.json: Source from a connection, CodeBuild, Manual approval, ECS deploy).
/// </summary>
public sealed class CodePipelineCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-pipeline-json-").FullName;

    /// <summary>
    /// The story as these clients can send it: the installed aws CLI (2.9) and the system's boto3 have a CodePipeline model
    /// from before V2 pipelines (late 2023) and refuse pipelineType, executionMode, variables and triggers before sending,
    /// so they are left out here (the pipeline is then V1); the server tests cover them.
    /// </summary>
    private static JsonObject Story(string name)
    {
        var input = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "flask-app-pipeline.json")))!.AsObject();
        var pipeline = input["pipeline"]!.AsObject();
        pipeline["name"] = name;
        foreach (var member in new[] { "pipelineType", "executionMode", "variables", "triggers" })
        {
            pipeline.Remove(member);
        }

        return input;
    }

    private static JsonObject Stage(JsonObject input, int index) => input["pipeline"]!["stages"]![index]!.AsObject();

    /// <summary>Writes the input where the CLI reads it and returns file://path.</summary>
    private string File_(JsonObject input, string name)
    {
        var path = Path.Combine(_directory, name + ".json");
        File.WriteAllText(path, input.ToJsonString());
        return "file://" + path;
    }

    private string Arn(string name) => $"arn:aws:codepipeline:us-east-1:{cairn.Server.Options.AccountId}:{name}";

    [Fact]
    public async Task The_story_pipeline_round_trips_through_create_get_update_list_and_delete()
    {
        var created = (await cairn.Aws("codepipeline", "create-pipeline", "--cli-input-json", File_(Story("cli-flask"), "create"))).Ok();
        var update = Story("cli-flask");
        update.Remove("tags");
        Stage(update, 3)["actions"]![0]!["configuration"]!["ServiceName"] = "flask-app-blue";
        var updated = (await cairn.Aws("codepipeline", "update-pipeline", "--cli-input-json", File_(update, "update"))).Ok();
        var latest = (await cairn.Aws("codepipeline", "get-pipeline", "--name", "cli-flask")).Ok();
        var first = (await cairn.Aws("codepipeline", "get-pipeline", "--name", "cli-flask", "--pipeline-version", "1")).Ok();
        var listed = (await cairn.Aws("codepipeline", "list-pipelines")).Ok();

        Assert.Equal(1, created["pipeline"]!["version"]!.GetValue<int>());
        Assert.Equal("web", created["tags"]![0]!["value"]!.GetValue<string>());
        Assert.Equal(2, updated["pipeline"]!["version"]!.GetValue<int>());
        Assert.Equal(2, latest["pipeline"]!["version"]!.GetValue<int>());
        Assert.Equal("flask-app-blue", latest["pipeline"]!["stages"]![3]!["actions"]![0]!["configuration"]!["ServiceName"]!.GetValue<string>());
        Assert.Equal("flask-app", first["pipeline"]!["stages"]![3]!["actions"]![0]!["configuration"]!["ServiceName"]!.GetValue<string>());
        Assert.Equal(Arn("cli-flask"), latest["metadata"]!["pipelineArn"]!.GetValue<string>());
        Assert.NotNull(latest["metadata"]!["created"]);
        var summary = listed["pipelines"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "cli-flask")!;
        Assert.Equal(2, summary["version"]!.GetValue<int>());
        Assert.Equal(1, latest["pipeline"]!["stages"]![1]!["actions"]![0]!["runOrder"]!.GetValue<int>());

        (await cairn.Aws("codepipeline", "create-pipeline", "--cli-input-json", File_(Story("cli-flask"), "again"))).Fails("PipelineNameInUseException");
        (await cairn.Aws("codepipeline", "get-pipeline", "--name", "cli-flask", "--pipeline-version", "9")).Fails("PipelineVersionNotFoundException");
        (await cairn.Aws("codepipeline", "delete-pipeline", "--name", "cli-flask")).Ok();
        var gone = (await cairn.Aws("codepipeline", "get-pipeline", "--name", "cli-flask")).Fails("PipelineNotFoundException");
        Assert.Contains("does not have a pipeline with name 'cli-flask'", gone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tags_are_added_listed_and_removed_with_the_cli()
    {
        (await cairn.Aws("codepipeline", "create-pipeline", "--cli-input-json", File_(Story("cli-tags"), "tags"))).Ok();

        (await cairn.Aws("codepipeline", "tag-resource", "--resource-arn", Arn("cli-tags"), "--tags", "key=env,value=prod")).Ok();
        var tagged = (await cairn.Aws("codepipeline", "list-tags-for-resource", "--resource-arn", Arn("cli-tags"))).Ok();
        (await cairn.Aws("codepipeline", "untag-resource", "--resource-arn", Arn("cli-tags"), "--tag-keys", "team")).Ok();
        var untagged = (await cairn.Aws("codepipeline", "list-tags-for-resource", "--resource-arn", Arn("cli-tags"))).Ok();

        Assert.Equal(["team=web", "env=prod"], tagged["tags"]!.AsArray().Select(t => $"{t!["key"]}={t["value"]}"));
        Assert.Equal(["env=prod"], untagged["tags"]!.AsArray().Select(t => $"{t!["key"]}={t["value"]}"));
        (await cairn.Aws("codepipeline", "tag-resource", "--resource-arn", Arn("cli-tags"), "--tags", "key=aws:x,value=y")).Fails("InvalidTagsException");
        (await cairn.Aws("codepipeline", "list-tags-for-resource", "--resource-arn", Arn("no-such-pipeline"))).Fails("ResourceNotFoundException");
    }

    [Fact]
    public async Task A_structure_error_exits_254_with_the_code_and_the_did_you_mean()
    {
        var input = Story("cli-broken");
        Stage(input, 1)["actions"]![0]!["inputArtifacts"]![0]!["name"] = "SourceArtifcat";

        var result = await cairn.Aws("codepipeline", "create-pipeline", "--cli-input-json", File_(input, "broken"));

        Assert.Equal(254, result.ExitCode);
        // The CLI puts "(reached max retries: 0)" between the operation and the message: the tests' clients do not retry.
        Assert.True(result.Stderr.Contains("An error occurred (InvalidStructureException) when calling the CreatePipeline operation", StringComparison.Ordinal), result.Stderr);
        var expected = "): Input artifact 'SourceArtifcat' of action 'Build' in stage 'Build' is not the output of any earlier action. Did you mean 'SourceArtifact'?";
        Assert.True(result.Stderr.Contains(expected, StringComparison.Ordinal), result.Stderr);
        (await cairn.Aws("codepipeline", "get-pipeline", "--name", "cli-broken")).Fails("PipelineNotFoundException");
    }

    [Fact]
    public async Task Creating_a_pipeline_needs_PassRole_for_codepipeline_on_its_role_and_a_grant_for_codebuild_does_not_do()
    {
        var role = Story("x")["pipeline"]!["roleArn"]!.GetValue<string>();
        const string Policy = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"codepipeline:*","Resource":"*"},
              {"Effect":"Allow","Action":"iam:PassRole","Resource":"ROLE","Condition":{"StringEquals":{"iam:PassedToService":"SERVICE"}}}]}
            """;
        var forBuilds = await cairn.UserWithPolicyAsync("pipeline-passes-to-codebuild",
            Policy.Replace("ROLE", role, StringComparison.Ordinal).Replace("SERVICE", "codebuild.amazonaws.com", StringComparison.Ordinal));
        var forPipelines = await cairn.UserWithPolicyAsync("pipeline-passes-to-codepipeline",
            Policy.Replace("ROLE", role, StringComparison.Ordinal).Replace("SERVICE", "codepipeline.amazonaws.com", StringComparison.Ordinal));

        var denied = (await cairn.AwsAs(forBuilds, "codepipeline", "create-pipeline", "--cli-input-json", File_(Story("cli-passrole"), "passrole-denied"))).Fails("AccessDeniedException");
        (await cairn.Aws("codepipeline", "get-pipeline", "--name", "cli-passrole")).Fails("PipelineNotFoundException");
        (await cairn.AwsAs(forPipelines, "codepipeline", "create-pipeline", "--cli-input-json", File_(Story("cli-passrole"), "passrole-allowed"))).Ok();
        var update = Story("cli-passrole");
        update.Remove("tags");
        (await cairn.AwsAs(forBuilds, "codepipeline", "update-pipeline", "--cli-input-json", File_(update, "passrole-update"))).Fails("AccessDeniedException");

        Assert.Contains($"is not authorized to perform: iam:PassRole on resource: {role}", denied, StringComparison.Ordinal);
        Assert.Contains("\"iam:PassedToService\":\"codepipeline.amazonaws.com\"", denied, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boto3_creates_pages_and_reads_pipelines_and_action_types()
    {
        var path = Path.Combine(_directory, "boto.json");
        await File.WriteAllTextAsync(path, Story("boto-flask").ToJsonString());

        var result = (await cairn.Boto3($$"""
            cp = client("codepipeline")
            story = json.load(open("{{path}}"))
            created = cp.create_pipeline(**story)
            for name in ["boto-a", "boto-b"]:
                other = json.loads(json.dumps(story["pipeline"]))
                other["name"] = name
                cp.create_pipeline(pipeline=other)
            got = cp.get_pipeline(name="boto-flask")
            pages = [[p["name"] for p in page["pipelines"]] for page in cp.get_paginator("list_pipelines").paginate(PaginationConfig={"PageSize": 1})]
            types = cp.list_action_types(actionOwnerFilter="AWS")["actionTypes"]
            codebuild = [t for t in types if t["id"]["provider"] == "CodeBuild" and t["id"]["category"] == "Build"][0]
            bad = json.loads(json.dumps(story["pipeline"]))
            bad["name"] = "boto-bad"
            bad["stages"] = bad["stages"][:1]
            print(json.dumps({"version": created["pipeline"]["version"], "created": got["metadata"]["created"].isoformat(),
                              "arn": got["metadata"]["pipelineArn"], "pages": pages,
                              "projectName": [p["required"] for p in codebuild["actionConfigurationProperties"] if p["name"] == "ProjectName"][0],
                              "duplicate": error_code(cp.create_pipeline, **story),
                              "oneStage": error_code(cp.create_pipeline, pipeline=bad),
                              "badToken": error_code(cp.list_pipelines, nextToken="nope")}))
            """)).Ok();

        Assert.Equal(1, result["version"]!.GetValue<int>());
        Assert.EndsWith("+00:00", result["created"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(Arn("boto-flask"), result["arn"]!.GetValue<string>());
        var pages = result["pages"]!.AsArray().Select(p => p!.AsArray().Select(n => n!.GetValue<string>()).ToList()).ToList();
        Assert.All(pages, page => Assert.True(page.Count <= 1));
        Assert.Equal(["boto-a", "boto-b", "boto-flask"], pages.SelectMany(p => p).Where(n => n.StartsWith("boto-", StringComparison.Ordinal)));
        Assert.True(result["projectName"]!.GetValue<bool>());
        Assert.StartsWith("PipelineNameInUseException: A pipeline with the name 'boto-flask' already exists", result["duplicate"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("InvalidStructureException: Pipeline 'boto-bad' has 1 stage", result["oneStage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("InvalidNextTokenException", result["badToken"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
