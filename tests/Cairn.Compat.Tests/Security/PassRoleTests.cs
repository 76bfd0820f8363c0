using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Security;

/// <summary>
/// The escalation a build service must not allow: a user with nothing but codebuild:* hands CodeBuild an administrator
/// role and lets a buildspec make the user an administrator. iam:PassRole closes it, as on AWS.
/// </summary>
public sealed class PassRoleTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private string Account => cairn.Server.Options.AccountId;

    private async Task<string> AdminRoleAsync(string name)
    {
        (await cairn.Aws("iam", "create-role", "--role-name", name, "--assume-role-policy-document", Trust)).Ok();
        (await cairn.Aws("iam", "attach-role-policy", "--role-name", name, "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess")).Ok();
        return $"arn:aws:iam::{Account}:role/{name}";
    }

    private static string[] CreateProject(string project, string role, string buildspec) =>
    [
        "codebuild", "create-project", "--name", project,
        "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = buildspec }.ToJsonString(),
        "--artifacts", "type=NO_ARTIFACTS",
        "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL",
        "--service-role", role,
    ];

    [Fact]
    public async Task A_codebuild_only_user_cannot_pass_an_admin_role_and_is_told_the_statement_that_would_allow_it()
    {
        var admin = await AdminRoleAsync("passrole-admin");
        var user = await cairn.UserWithPolicyAsync("codebuild-only", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codebuild:*","Resource":"*"}]}""");
        const string Escalate = "version: 0.2\nphases:\n  build:\n    commands:\n      - aws iam attach-user-policy --user-name codebuild-only --policy-arn arn:aws:iam::aws:policy/AdministratorAccess\n";

        var denied = (await cairn.AwsAs(user, CreateProject("escalate", admin, Escalate))).Fails("AccessDeniedException");
        Assert.Contains($"User: arn:aws:iam::{Account}:user/codebuild-only is not authorized to perform: iam:PassRole on resource: {admin}", denied, StringComparison.Ordinal);
        Assert.Contains("""{"Effect":"Allow","Action":"iam:PassRole","Resource":"ROLE","Condition":{"StringEquals":{"iam:PassedToService":"codebuild.amazonaws.com"}}}""".Replace("ROLE", admin, StringComparison.Ordinal), denied, StringComparison.Ordinal);
        Assert.Single((await cairn.Aws("codebuild", "batch-get-projects", "--names", "escalate")).Ok()["projectsNotFound"]!.AsArray());

        // A project made by someone allowed to pass a harmless role cannot be switched to the admin role either.
        var harmless = $"arn:aws:iam::{Account}:role/passrole-harmless";
        (await cairn.Aws("iam", "create-role", "--role-name", "passrole-harmless", "--assume-role-policy-document", Trust)).Ok();
        (await cairn.Aws(CreateProject("escalate", harmless, Escalate))).Ok();
        (await cairn.AwsAs(user, "codebuild", "update-project", "--name", "escalate", "--service-role", admin)).Fails("AccessDeniedException");
        (await cairn.AwsAs(user, "codebuild", "start-build", "--project-name", "escalate", "--service-role-override", admin)).Fails("AccessDeniedException");
        (await cairn.AwsAs(user, "codebuild", "update-project", "--name", "escalate", "--description", "no role change needs no PassRole")).Ok();

        var attached = (await cairn.Aws("iam", "list-attached-user-policies", "--user-name", "codebuild-only")).Ok()["AttachedPolicies"]!.AsArray();
        Assert.Empty(attached);
    }

    [Fact]
    public async Task PassRole_granted_for_codebuild_lets_the_user_create_the_project_and_a_condition_for_another_service_does_not()
    {
        var admin = await AdminRoleAsync("passrole-granted");
        var wrongService = await cairn.UserWithPolicyAsync("passes-to-ecs", """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"codebuild:*","Resource":"*"},
              {"Effect":"Allow","Action":"iam:PassRole","Resource":"ROLE","Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}]}
            """.Replace("ROLE", admin, StringComparison.Ordinal));
        (await cairn.AwsAs(wrongService, CreateProject("granted", admin, "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n"))).Fails("AccessDeniedException");

        var user = await cairn.UserWithPolicyAsync("passes-to-codebuild", """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"codebuild:*","Resource":"*"},
              {"Effect":"Allow","Action":"iam:PassRole","Resource":"ROLE","Condition":{"StringEquals":{"iam:PassedToService":"codebuild.amazonaws.com"}}}]}
            """.Replace("ROLE", admin, StringComparison.Ordinal));
        (await cairn.AwsAs(user, CreateProject("granted", admin, "version: 0.2\nphases:\n  build:\n    commands:\n      - echo passed\n"))).Ok();
        var id = (await cairn.AwsAs(user, "codebuild", "start-build", "--project-name", "granted")).Ok()["build"]!["id"]!.GetValue<string>();
        Assert.Equal("SUCCEEDED", (await cairn.WaitForBuildAsync(id))["buildStatus"]!.GetValue<string>());
    }
}
