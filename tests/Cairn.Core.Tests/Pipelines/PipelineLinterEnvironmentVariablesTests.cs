using System.Text.Json.Nodes;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Lint;

namespace Cairn.Core.Tests.Pipelines;

/// <summary>`cairn pipeline lint` checks the #{...} references in a V2 action's environmentVariables as it checks configuration values.</summary>
public sealed class PipelineLinterEnvironmentVariablesTests
{
    /// <summary>Source, Build (namespace BuildVariables), then an EKS deploy whose environment variables hold <paramref name="values"/>.</summary>
    private static IReadOnlyList<PipelineDiagnostic> Lint(params string[] values) => LintWithNamespace(null, values);

    private static IReadOnlyList<PipelineDiagnostic> LintWithNamespace(string? deployNamespace, params string[] values)
    {
        var environment = new JsonArray(values.Select((v, i) => (JsonNode)new JsonObject { ["name"] = $"VAR{i}", ["value"] = v, ["type"] = "PLAINTEXT" }).ToArray());
        var declaration = JsonNode.Parse("""
            {"name":"app","roleArn":"arn:aws:iam::000000000000:role/r","artifactStore":{"type":"S3","location":"a"},"pipelineType":"V2",
             "variables":[{"name":"Env","defaultValue":"staging"}],
             "stages":[
              {"name":"Source","actions":[{"name":"Source","actionTypeId":{"category":"Source","owner":"AWS","provider":"CodeStarSourceConnection","version":"1"},
                "configuration":{"ConnectionArn":"arn:aws:codeconnections:us-east-1:000000000000:connection/c","FullRepositoryId":"a/b","BranchName":"main"},
                "outputArtifacts":[{"name":"Src"}],"namespace":"SourceVariables"}]},
              {"name":"Build","actions":[{"name":"Build","actionTypeId":{"category":"Build","owner":"AWS","provider":"CodeBuild","version":"1"},
                "configuration":{"ProjectName":"web"},"inputArtifacts":[{"name":"Src"}],"outputArtifacts":[{"name":"Out"}],"namespace":"BuildVariables"}]},
              {"name":"Deploy","actions":[{"name":"Deploy","actionTypeId":{"category":"Deploy","owner":"AWS","provider":"EKS","version":"1"},
                "configuration":{"ClusterName":"dev","ManifestFiles":"k8s/app.yaml"},"inputArtifacts":[{"name":"Out"}]}]}]}
            """)!.AsObject();
        declaration["stages"]![2]!["actions"]![0]!["environmentVariables"] = environment;
        declaration["stages"]![2]!["actions"]![0]!["namespace"] = deployNamespace;
        return PipelineLinter.LintDeclaration(PipelineDeclarations.Normalize(declaration));
    }

    [Fact]
    public void References_to_variables_set_before_the_action_have_no_findings()
    {
        Assert.Empty(Lint("#{BuildVariables.IMAGE_URI}", "#{SourceVariables.CommitId}", "#{variables.Env}", "#{codepipeline.PipelineExecutionId}", "plain"));
    }

    [Fact]
    public void An_unknown_namespace_in_an_environment_variable_is_PL102_at_its_value_with_did_you_mean()
    {
        var finding = Assert.Single(Lint("ok", "#{BuildVariable.IMAGE_URI}"));

        Assert.Equal(PipelineDiagnosticCodes.UnknownNamespace, finding.Code);
        Assert.EndsWith("stages[2].actions[0].environmentVariables[1].value", finding.Path, StringComparison.Ordinal);
        Assert.Contains("environment variable VAR1", finding.Message, StringComparison.Ordinal);
        Assert.Contains("#{BuildVariables.IMAGE_URI}", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undeclared_pipeline_variable_and_a_malformed_reference_are_errors()
    {
        var findings = Lint("#{variables.Envv}", "#{BuildVariables}");

        Assert.Equal([PipelineDiagnosticCodes.UnknownPipelineVariable, PipelineDiagnosticCodes.MalformedVariable], findings.Select(f => f.Code));
        Assert.All(findings, f => Assert.True(f.IsError));
        Assert.Contains("did you mean #{variables.Env}?", findings[0].Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void The_actions_own_output_variable_has_no_value_yet_and_is_PL103()
    {
        var finding = Assert.Single(LintWithNamespace("DeployVariables", "#{DeployVariables.EKSClusterName}"));

        Assert.Equal(PipelineDiagnosticCodes.VariableNotYetSet, finding.Code);
        Assert.Contains("this action's own", finding.Message, StringComparison.Ordinal);
    }
}
