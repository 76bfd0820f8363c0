using Cairn.Core.Identity.Iam;

namespace Cairn.Core.Tests.Identity;

public sealed class RoleNamesTests
{
    [Theory]
    [InlineData("codebuild_service_role")]
    [InlineData("code_build_service_role")]
    [InlineData("CodeBuildServiceRole")]
    [InlineData("codebuild-servce-role")]
    public void The_seeds_spellings_of_the_role_find_codebuild_service_role(string typed)
    {
        Assert.Equal("codebuild-service-role", RoleNames.Closest(typed, ["admin", "codebuild-service-role", "deployer"]));
    }

    [Fact]
    public void A_name_close_to_nothing_gets_no_suggestion()
    {
        Assert.Null(RoleNames.Closest("lambda-executor", ["codebuild-service-role"]));
        Assert.Null(RoleNames.Closest("codebuild-service-role", ["codebuild-service-role"]));
    }

    [Fact]
    public void The_create_command_carries_codebuilds_trust_policy()
    {
        Assert.Equal(
            """aws iam create-role --role-name r --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}'""",
            RoleNames.CreateCodeBuildRoleCommand("aws", "r"));
    }
}
