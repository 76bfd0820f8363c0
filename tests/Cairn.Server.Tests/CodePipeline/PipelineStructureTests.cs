using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.CodePipeline;

/// <summary>AWS's structure rules on CreatePipeline (and UpdatePipeline, which checks the same way): each rule, its code and its message; a refused pipeline is not stored.</summary>
public sealed class PipelineStructureTests : CodePipelineFixture
{
    [Fact]
    public async Task The_users_story_pipeline_is_accepted_as_it_is()
    {
        var created = await CreateAsync(Story());

        Assert.Equal(4, created["pipeline"]!["stages"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_pipeline_with_one_stage_is_InvalidStructureException_saying_two_are_needed()
    {
        var pipeline = Story();
        var stages = pipeline["stages"]!.AsArray();
        while (stages.Count > 1)
        {
            stages.RemoveAt(1);
        }

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.StartsWith("Pipeline 'flask-app' has 1 stage, and a pipeline needs at least 2: a first stage with the source actions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pipeline_with_51_stages_is_InvalidStructureException_naming_the_limit_of_50()
    {
        var pipeline = Story();
        var stages = pipeline["stages"]!.AsArray();
        stages.RemoveAt(3);
        stages.RemoveAt(2);
        for (var i = 0; stages.Count < 51; i++)
        {
            stages.Add(new JsonObject
            {
                ["name"] = $"Approve{i}",
                ["actions"] = new JsonArray(new JsonObject { ["name"] = "Manual", ["actionTypeId"] = TypeId("Approval", "Manual") }),
            });
        }

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.StartsWith("Pipeline 'flask-app' has 51 stages, more than the 50 a pipeline may have", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_stages_of_the_same_name_are_InvalidStructureException()
    {
        var pipeline = Story();
        Stage(pipeline, "Approve")["name"] = "Build";

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.Equal("Two stages are named 'Build': stage names must be unique within a pipeline; rename one.", error.Message);
    }

    [Fact]
    public async Task A_first_stage_holding_a_build_action_is_refused_naming_the_action()
    {
        var pipeline = Story();
        Stage(pipeline, "Source")["actions"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "EarlyBuild", ["actionTypeId"] = TypeId("Build", "CodeBuild"), ["configuration"] = new JsonObject { ["ProjectName"] = "p" },
            ["inputArtifacts"] = Artifacts("SourceArtifact"), ["runOrder"] = 2,
        });

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.StartsWith("The first stage, 'Source', may hold only source actions, but its action 'EarlyBuild' is a Build action", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_action_in_a_later_stage_is_refused_naming_stage_and_action()
    {
        var pipeline = Story();
        Stage(pipeline, "Build")["actions"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "SecondSource", ["actionTypeId"] = TypeId("Source", "CodeStarSourceConnection"),
            ["configuration"] = new JsonObject { ["ConnectionArn"] = "arn:c", ["FullRepositoryId"] = "a/b", ["BranchName"] = "main" },
            ["outputArtifacts"] = Artifacts("Other"),
        });

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.Equal("Action 'SecondSource' in stage 'Build' is a source action, and source actions may only be in the first stage: move it there.", error.Message);
    }

    [Fact]
    public async Task A_stage_without_actions_is_InvalidStageDeclarationException()
    {
        var pipeline = Story();
        Stage(pipeline, "Approve")["actions"] = new JsonArray();

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidStageDeclarationException", error.Code);
        Assert.Equal("Stage 'Approve' has no actions: a stage needs at least one action; add one or remove the stage.", error.Message);
    }

    [Fact]
    public async Task Two_actions_of_the_same_name_in_a_stage_are_InvalidActionDeclarationException()
    {
        var pipeline = Story();
        Stage(pipeline, "Approve")["actions"]!.AsArray().Add(new JsonObject { ["name"] = "Manual", ["actionTypeId"] = TypeId("Approval", "Manual") });

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidActionDeclarationException", error.Code);
        Assert.Equal("Stage 'Approve' has two actions named 'Manual': action names must be unique within a stage; rename one.", error.Message);
    }

    [Fact]
    public async Task Two_blockers_of_the_same_name_are_InvalidBlockerDeclarationException()
    {
        var pipeline = Story();
        var blocker = new JsonObject { ["name"] = "window", ["type"] = "Schedule" };
        Stage(pipeline, "Deploy")["blockers"] = new JsonArray(blocker, blocker.DeepClone());

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidBlockerDeclarationException", error.Code);
        Assert.Contains("Stage 'Deploy' has two blockers named 'window'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_input_artifact_is_refused_with_the_output_it_was_meant_to_be()
    {
        var pipeline = Story();
        Action(pipeline, "Build", "Build")["inputArtifacts"] = Artifacts("SourceArtifcat");

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.Equal("Input artifact 'SourceArtifcat' of action 'Build' in stage 'Build' is not the output of any earlier action. Did you mean 'SourceArtifact'?", error.Message);
    }

    [Fact]
    public async Task An_input_nothing_resembles_says_where_an_input_may_come_from()
    {
        var pipeline = Story();
        Action(pipeline, "Deploy", "Deploy")["inputArtifacts"] = Artifacts("ImageDefinitions");

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.EndsWith("Name the output artifact of an action in an earlier stage, or of an action in the same stage with a lower runOrder.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task An_input_made_by_an_action_that_does_not_run_earlier_is_refused_naming_its_producer(int consumerRunOrder)
    {
        var pipeline = Story();
        Action(pipeline, "Build", "Build")["runOrder"] = 2;
        Stage(pipeline, "Build")["actions"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "UnitTests", ["actionTypeId"] = TypeId("Test", "CodeBuild"), ["runOrder"] = consumerRunOrder,
            ["configuration"] = new JsonObject { ["ProjectName"] = "flask-app-tests" }, ["inputArtifacts"] = Artifacts("BuildArtifact"),
        });

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.StartsWith("Input artifact 'BuildArtifact' of action 'UnitTests' in stage 'Build' is the output of action 'Build' in stage 'Build', which does not run before it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_input_made_earlier_in_the_same_stage_by_a_lower_runOrder_is_accepted()
    {
        var pipeline = Story();
        Stage(pipeline, "Build")["actions"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "UnitTests", ["actionTypeId"] = TypeId("Test", "CodeBuild"), ["runOrder"] = 2,
            ["configuration"] = new JsonObject { ["ProjectName"] = "flask-app-tests" }, ["inputArtifacts"] = Artifacts("BuildArtifact", "SourceArtifact"),
        });

        var created = await CreateAsync(pipeline);

        Assert.Equal(2, created["pipeline"]!["stages"]![1]!["actions"]![1]!["runOrder"]!.GetValue<int>());
    }

    [Fact]
    public async Task Two_outputs_of_the_same_name_are_refused_naming_both_actions()
    {
        var pipeline = Story();
        Action(pipeline, "Build", "Build")["outputArtifacts"] = Artifacts("SourceArtifact");

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.StartsWith("Output artifact 'SourceArtifact' of action 'Build' in stage 'Build' has the name of the output of action 'Source' in stage 'Source'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "greater than or equal to 1")]
    [InlineData(1000, "less than or equal to 999")]
    public async Task A_runOrder_outside_1_to_999_is_the_models_ValidationException(int runOrder, string constraint)
    {
        var pipeline = Story();
        Action(pipeline, "Build", "Build")["runOrder"] = runOrder;

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains($"Value '{runOrder}' at 'pipeline.stages.2.member.actions.1.member.runOrder' failed to satisfy constraint: Member must have value {constraint}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_codebuild_action_without_ProjectName_is_refused_with_the_keys_it_takes()
    {
        var pipeline = Story();
        Action(pipeline, "Build", "Build")["configuration"]!.AsObject().Remove("ProjectName");

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidActionDeclarationException", error.Code);
        Assert.Equal("Action configuration for action 'Build' is missing required configuration 'ProjectName'. "
            + "A CodeBuild action's configuration takes: ProjectName, PrimarySource, EnvironmentVariables, BatchEnabled, CombineArtifacts.", error.Message);
    }

    [Fact]
    public async Task A_misspelt_configuration_key_is_refused_with_the_key_it_was_meant_to_be()
    {
        var pipeline = Story();
        var configuration = Action(pipeline, "Source", "Source")["configuration"]!.AsObject();
        configuration.Remove("BranchName");
        configuration["Branch"] = "main";

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidActionDeclarationException", error.Code);
        Assert.Equal("Action configuration for action 'Source' contains unknown configuration 'Branch'. Did you mean 'BranchName'?", error.Message);
    }

    [Fact]
    public async Task A_misspelt_provider_is_not_available_in_the_region_and_the_provider_is_suggested()
    {
        var pipeline = Story();
        Action(pipeline, "Build", "Build")["actionTypeId"]!["provider"] = "CodeBiuld";

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidActionDeclarationException", error.Code);
        Assert.Equal("ActionType (Category: 'Build', Provider: 'CodeBiuld', Owner: 'AWS', Version: '1') in action 'Build' is not available in region 'US_EAST_1'. Did you mean provider 'CodeBuild'?", error.Message);
    }

    [Fact]
    public async Task A_codebuild_action_without_an_input_declares_too_few_artifacts_in_AWSs_words()
    {
        var pipeline = Story();
        Action(pipeline, "Build", "Build")["inputArtifacts"] = new JsonArray();

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidActionDeclarationException", error.Code);
        Assert.Equal("Action Build declares 0 input artifacts which is less than the minimum count (1)", error.Message);
    }

    [Fact]
    public async Task An_ecs_deploy_with_two_inputs_declares_too_many()
    {
        var pipeline = Story();
        Action(pipeline, "Deploy", "Deploy")["inputArtifacts"] = Artifacts("BuildArtifact", "SourceArtifact");

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidActionDeclarationException", error.Code);
        Assert.Equal("Action Deploy declares 2 input artifacts which is greater than the maximum count (1)", error.Message);
    }

    [Fact]
    public async Task An_eks_deploy_needs_manifests_or_a_helm_chart()
    {
        var pipeline = Story();
        var deploy = Action(pipeline, "Deploy", "Deploy");
        deploy["actionTypeId"]!["provider"] = "EKS";
        deploy["configuration"] = new JsonObject { ["ClusterName"] = "local" };

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidActionDeclarationException", error.Code);
        Assert.Contains("has neither ManifestFiles nor HelmChartLocation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Providers_cairn_does_not_run_and_third_party_ones_are_accepted_as_declared()
    {
        var pipeline = Story();
        var deploy = Action(pipeline, "Deploy", "Deploy");
        deploy["actionTypeId"]!["provider"] = "CloudFormation";
        deploy["configuration"] = new JsonObject { ["ActionMode"] = "CREATE_UPDATE", ["StackName"] = "app", ["Anything"] = "x" };
        Stage(pipeline, "Source")["actions"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "Jenkins", ["actionTypeId"] = new JsonObject { ["category"] = "Source", ["owner"] = "Custom", ["provider"] = "MySource", ["version"] = "3" },
            ["outputArtifacts"] = Artifacts("Extra"),
        });

        var created = await CreateAsync(pipeline);

        Assert.Equal("CloudFormation", created["pipeline"]!["stages"]![3]!["actions"]![0]!["actionTypeId"]!["provider"]!.GetValue<string>());
    }

    [Fact]
    public async Task Both_artifactStore_and_artifactStores_are_refused_and_so_is_neither()
    {
        var both = Story();
        both["artifactStores"] = new JsonObject { [Region] = new JsonObject { ["type"] = "S3", ["location"] = "bucket" } };
        var neither = Story();
        neither.Remove("artifactStore");

        var bothError = await CreateFailsAsync(both);
        var neitherError = await CreateFailsAsync(neither);

        Assert.Equal("InvalidStructureException", bothError.Code);
        Assert.StartsWith("The pipeline gives both artifactStore and artifactStores", bothError.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidStructureException", neitherError.Code);
        Assert.StartsWith("The pipeline has no artifact store", neitherError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_action_in_another_region_needs_an_artifact_store_there()
    {
        var pipeline = Story();
        Action(pipeline, "Approve", "Manual")["region"] = "eu-west-1";

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.StartsWith("artifactStores has no store for region 'eu-west-1', which action 'Manual' in stage 'Approve' (region 'eu-west-1') needs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cross_region_artifactStores_with_both_regions_are_accepted()
    {
        var pipeline = Story();
        pipeline.Remove("artifactStore");
        pipeline["artifactStores"] = new JsonObject
        {
            [Region] = new JsonObject { ["type"] = "S3", ["location"] = "here" },
            ["eu-west-1"] = new JsonObject { ["type"] = "S3", ["location"] = "there" },
        };
        Action(pipeline, "Approve", "Manual")["region"] = "eu-west-1";

        var created = await CreateAsync(pipeline);

        Assert.Equal("there", created["pipeline"]!["artifactStores"]!["eu-west-1"]!["location"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_V1_pipeline_with_variables_is_told_to_be_V2()
    {
        var pipeline = Story();
        pipeline["pipelineType"] = "V1";
        pipeline["executionMode"] = "SUPERSEDED";

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.Equal("Pipeline 'flask-app' is of type V1, and pipeline-level variables need a V2 pipeline: set \"pipelineType\": \"V2\".", error.Message);
    }

    [Fact]
    public async Task A_trigger_naming_a_missing_source_action_is_refused_with_the_nearest_one()
    {
        var pipeline = Story();
        pipeline["triggers"]![0]!["gitConfiguration"]!["sourceActionName"] = "Sourse";

        var error = await CreateFailsAsync(pipeline);

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.StartsWith("A trigger names source action 'Sourse', but the first stage has no CodeStarSourceConnection action of that name. Did you mean 'Source'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_actions_with_one_namespace_are_refused()
    {
        var pipeline = Story();
        Action(pipeline, "Build", "Build")["namespace"] = "SourceVariables";

        var error = await CreateFailsAsync(pipeline);

        // AWS's code and text (seen in CloudFormation's and the CDK's reports of it), then which action has it already.
        Assert.Equal("InvalidActionDeclarationException", error.Code);
        Assert.StartsWith("Namespaces must be unique across the pipeline definition. The following occur more than once in the pipeline. StageName=[Build], ActionName=[Build], Namespace=[SourceVariables]", error.Message, StringComparison.Ordinal);
        Assert.Contains("already the namespace of action 'Source' in stage 'Source'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_that_breaks_a_rule_leaves_the_stored_version_as_it_was()
    {
        await CreateAsync(Story());
        var broken = Story();
        Action(broken, "Build", "Build")["inputArtifacts"] = Artifacts("SourceArtifcat");

        var error = await FailsAsync("UpdatePipeline", new JsonObject { ["pipeline"] = broken });
        var stored = await CallAsync("GetPipeline", new JsonObject { ["name"] = "flask-app" });

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.Equal(1, stored["pipeline"]!["version"]!.GetValue<int>());
        Assert.Equal("SourceArtifact", stored["pipeline"]!["stages"]![1]!["actions"]![0]!["inputArtifacts"]![0]!["name"]!.GetValue<string>());
    }
}
