using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Core.Identity.Iam;

namespace Cairn.Server.Tests.Iam;

/// <summary>attach-role-policy before create-role: AWS's NoSuchEntity, naming the role and saying how to create it first.</summary>
public sealed class MissingRoleMessageTests : IDisposable
{
    private const string ReadOnly = "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess";

    private readonly IdentityHarness _iam = new();

    public void Dispose() => _iam.Dispose();

    [Fact]
    public async Task Attaching_a_policy_to_a_role_that_does_not_exist_says_to_create_it_first()
    {
        var error = await _iam.IamFails("AttachRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyArn", ReadOnly));

        Assert.Equal("NoSuchEntity", error.Code);
        Assert.Equal(
            "The role with name codebuild-service-role cannot be found. Create the role first: aws iam create-role --role-name codebuild-service-role "
            + """--assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}'""",
            error.Message);
    }

    [Fact]
    public async Task Attaching_a_policy_to_a_mistyped_role_says_did_you_mean()
    {
        await _iam.CallIam("CreateRole", ("RoleName", "codebuild-service-role"), ("AssumeRolePolicyDocument", IamRoleAndPolicyTests.CodeBuildTrust));

        var error = await _iam.IamFails("AttachRolePolicy", ("RoleName", "code_build_service_role"), ("PolicyArn", ReadOnly));

        Assert.Equal("NoSuchEntity", error.Code);
        Assert.StartsWith("The role with name code_build_service_role cannot be found. Did you mean codebuild-service-role? Or create the role first: aws iam create-role --role-name code_build_service_role ",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_build_whose_service_role_is_mistyped_gets_did_you_mean_instead_of_trust_policy_advice()
    {
        await _iam.CallIam("CreateRole", ("RoleName", "codebuild-service-role"), ("AssumeRolePolicyDocument", IamRoleAndPolicyTests.CodeBuildTrust));
        var assumer = new StsBuildRoleAssumer(_iam.Get<IRoleAssumer>(), _iam.Store);

        var error = await Assert.ThrowsAsync<BuildRoleException>(() =>
            assumer.AssumeAsync($"arn:aws:iam::{IdentityHarness.Account}:role/codebuild_service_role", "AWSCodeBuild-1", TimeSpan.FromHours(1), CancellationToken.None));

        Assert.StartsWith("role codebuild_service_role does not exist; did you mean codebuild-service-role? Point the project at it with: "
            + $"aws codebuild update-project --name <project> --service-role arn:aws:iam::{IdentityHarness.Account}:role/codebuild-service-role", error.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("update-assume-role-policy", error.Hint, StringComparison.Ordinal);
    }
}
