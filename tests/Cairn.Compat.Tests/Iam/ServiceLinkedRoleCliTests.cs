using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Iam;

/// <summary>Service-linked roles through the real aws CLI and boto3: AWS's naming, path and trust policy, and their protection.</summary>
public sealed class ServiceLinkedRoleCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    [Fact]
    public async Task The_CLI_creates_a_service_linked_role_that_only_delete_service_linked_role_removes()
    {
        var role = (await cairn.Aws("iam", "create-service-linked-role", "--aws-service-name", "autoscaling.amazonaws.com", "--custom-suffix", "cli")).Ok()["Role"]!;
        var taken = (await cairn.Aws("iam", "create-service-linked-role", "--aws-service-name", "autoscaling.amazonaws.com", "--custom-suffix", "cli")).Fails("InvalidInput");
        var notService = (await cairn.Aws("iam", "create-service-linked-role", "--aws-service-name", "example.com")).Fails("InvalidInput");
        var protectedRole = (await cairn.Aws("iam", "delete-role", "--role-name", "AWSServiceRoleForAutoScaling_cli")).Fails("UnmodifiableEntity");
        var task = (await cairn.Aws("iam", "delete-service-linked-role", "--role-name", "AWSServiceRoleForAutoScaling_cli")).Ok()["DeletionTaskId"]!.GetValue<string>();
        var status = (await cairn.Aws("iam", "get-service-linked-role-deletion-status", "--deletion-task-id", task)).Ok();
        var gone = (await cairn.Aws("iam", "get-role", "--role-name", "AWSServiceRoleForAutoScaling_cli")).Fails("NoSuchEntity");

        Assert.Equal("AWSServiceRoleForAutoScaling_cli", role["RoleName"]!.GetValue<string>());
        Assert.Equal("/aws-service-role/autoscaling.amazonaws.com/", role["Path"]!.GetValue<string>());
        Assert.Equal("arn:aws:iam::000000000000:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_cli", role["Arn"]!.GetValue<string>());
        Assert.Equal("autoscaling.amazonaws.com", role["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]![0]!.GetValue<string>());
        Assert.Contains("Service role name AWSServiceRoleForAutoScaling_cli has been taken in this account", taken, StringComparison.Ordinal);
        Assert.Contains("example.com is not an AWS service principal", notService, StringComparison.Ordinal);
        Assert.Contains("Cannot perform the operation on the protected role 'AWSServiceRoleForAutoScaling_cli'", protectedRole, StringComparison.Ordinal);
        Assert.StartsWith("task/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_cli/", task, StringComparison.Ordinal);
        Assert.Equal("SUCCEEDED", status["Status"]!.GetValue<string>());
        Assert.Contains("AWSServiceRoleForAutoScaling_cli", gone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boto3_creates_and_deletes_a_service_linked_role_named_from_the_service()
    {
        var result = await cairn.Boto3("""
            r = iam.create_service_linked_role(AWSServiceName="my-build-svc.amazonaws.com", Description="d")["Role"]
            assert r["RoleName"] == "AWSServiceRoleForMyBuildSvc" and r["Description"] == "d", r
            print(error_code(iam.update_assume_role_policy, RoleName=r["RoleName"], PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}'))
            iam.create_role(RoleName="boto-plain", AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}')
            print(error_code(iam.delete_service_linked_role, RoleName="boto-plain"))
            t = iam.delete_service_linked_role(RoleName=r["RoleName"])["DeletionTaskId"]
            assert iam.get_service_linked_role_deletion_status(DeletionTaskId=t)["Status"] == "SUCCEEDED"
            print(error_code(iam.get_service_linked_role_deletion_status, DeletionTaskId="bogus"))
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("UnmodifiableEntity: Cannot perform the operation on the protected role 'AWSServiceRoleForMyBuildSvc'", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("InvalidInput: The role boto-plain is not a service-linked role", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("InvalidInput: Invalid deletion task id bogus", lines[2], StringComparison.Ordinal);
    }
}
