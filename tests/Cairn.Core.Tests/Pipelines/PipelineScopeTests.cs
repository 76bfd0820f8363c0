using Cairn.Core.Pipelines;

namespace Cairn.Core.Tests.Pipelines;

public sealed class PipelineScopeTests
{
    private static readonly PipelineScope Scope = new("000000000000", "us-east-1");

    [Theory]
    [InlineData("arn:aws:codepipeline:us-east-1:000000000000:flask-app", "flask-app")]
    [InlineData("arn:aws:codepipeline:us-east-1:000000000000:a.b@c-d_e", "a.b@c-d_e")]
    [InlineData("arn:aws:codepipeline:eu-west-1:000000000000:flask-app", null)]
    [InlineData("arn:aws:codepipeline:us-east-1:111122223333:flask-app", null)]
    [InlineData("arn:aws:codepipeline:us-east-1:000000000000:", null)]
    [InlineData("arn:aws:codepipeline:us-east-1:000000000000:webhook:hook", null)]
    [InlineData("arn:aws:codepipeline:us-east-1:000000000000:actiontype:AWS/Build/CodeBuild/1", null)]
    [InlineData("arn:aws:codebuild:us-east-1:000000000000:project/app", null)]
    public void A_pipeline_arn_names_its_pipeline_only_in_its_own_account_and_region(string arn, string? name) =>
        Assert.Equal(name, Scope.PipelineName(arn));

    [Fact]
    public void The_pipeline_arn_is_codepipelines_form() =>
        Assert.Equal("arn:aws:codepipeline:us-east-1:000000000000:flask-app", Scope.PipelineArn("flask-app"));
}
