using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Iam;

/// <summary>Permissions boundaries with the real aws CLI: a role's session can do only what its policies AND its boundary allow.</summary>
public sealed class PermissionsBoundaryCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private const string Account = "000000000000";

    [Fact]
    public async Task A_role_with_AmazonSSMFullAccess_bounded_to_GetParameter_can_read_but_not_put()
    {
        const string Boundary = """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ssm:GetParameter*","Resource":"*"}}""";
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"sts:AssumeRole"}]}""";
        var boundaryArn = (await cairn.Aws("iam", "create-policy", "--policy-name", "ssm-get-only", "--policy-document", Boundary)).Ok()["Policy"]!["Arn"]!.GetValue<string>();
        (await cairn.Aws("iam", "create-role", "--role-name", "bounded-builder", "--assume-role-policy-document", trust, "--permissions-boundary", boundaryArn)).Ok();
        (await cairn.Aws("iam", "attach-role-policy", "--role-name", "bounded-builder", "--policy-arn", "arn:aws:iam::aws:policy/AmazonSSMFullAccess")).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", "/bounded/db", "--value", "v", "--type", "String")).Ok();

        var role = (await cairn.Aws("iam", "get-role", "--role-name", "bounded-builder")).Ok()["Role"]!;
        Assert.Equal("PermissionsBoundaryPolicy", role["PermissionsBoundary"]!["PermissionsBoundaryType"]!.GetValue<string>());
        Assert.Equal(boundaryArn, role["PermissionsBoundary"]!["PermissionsBoundaryArn"]!.GetValue<string>());

        (await cairn.Aws("iam", "create-user", "--user-name", "bounded-operator")).Ok();
        (await cairn.Aws("iam", "attach-user-policy", "--user-name", "bounded-operator", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess")).Ok();
        var key = (await cairn.Aws("iam", "create-access-key", "--user-name", "bounded-operator")).Ok()["AccessKey"]!;
        var operatorCredentials = cairn.Credentials(key["AccessKeyId"]!.GetValue<string>(), key["SecretAccessKey"]!.GetValue<string>());
        var credentials = (await cairn.AwsAs(operatorCredentials, "sts", "assume-role", "--role-arn", $"arn:aws:iam::{Account}:role/bounded-builder", "--role-session-name", "b1"))
            .Ok()["Credentials"]!;
        var session = cairn.Credentials(
            credentials["AccessKeyId"]!.GetValue<string>(), credentials["SecretAccessKey"]!.GetValue<string>(), credentials["SessionToken"]!.GetValue<string>());

        var read = (await cairn.AwsAs(session, "ssm", "get-parameter", "--name", "/bounded/db")).Ok();
        var stderr = (await cairn.AwsAs(session, "ssm", "put-parameter", "--name", "/bounded/db", "--value", "w", "--overwrite")).Fails("AccessDeniedException");
        var inUse = (await cairn.Aws("iam", "delete-policy", "--policy-arn", boundaryArn)).Fails("DeleteConflict");

        Assert.Equal("v", read["Parameter"]!["Value"]!.GetValue<string>());
        Assert.Contains(
            $"User: arn:aws:sts::{Account}:assumed-role/bounded-builder/b1 is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:{Account}:parameter/bounded/db because no permissions boundary allows the ssm:PutParameter action",
            stderr, StringComparison.Ordinal);
        Assert.Contains("permissions boundary", inUse, StringComparison.Ordinal);

        (await cairn.Aws("iam", "delete-role-permissions-boundary", "--role-name", "bounded-builder")).Ok();
        (await cairn.AwsAs(session, "ssm", "put-parameter", "--name", "/bounded/db", "--value", "w", "--overwrite")).Ok();
    }
}
