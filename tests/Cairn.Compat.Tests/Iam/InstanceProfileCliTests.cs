using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Iam;

/// <summary>Instance profiles through the real aws CLI and boto3: one role per profile, tags, and the delete conflicts both ways.</summary>
public sealed class InstanceProfileCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private const string Ec2Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    [Fact]
    public async Task The_CLI_puts_a_role_in_an_instance_profile_and_neither_can_be_deleted_while_joined()
    {
        (await cairn.Aws("iam", "create-role", "--role-name", "cli-web", "--assume-role-policy-document", Ec2Trust)).Ok();
        (await cairn.Aws("iam", "create-role", "--role-name", "cli-spare", "--assume-role-policy-document", Ec2Trust)).Ok();
        var created = (await cairn.Aws("iam", "create-instance-profile", "--instance-profile-name", "cli-web-profile", "--path", "/app/",
            "--tags", "Key=team,Value=web")).Ok()["InstanceProfile"]!;
        var duplicate = (await cairn.Aws("iam", "create-instance-profile", "--instance-profile-name", "cli-web-profile")).Fails("EntityAlreadyExists");
        (await cairn.Aws("iam", "add-role-to-instance-profile", "--instance-profile-name", "cli-web-profile", "--role-name", "cli-web")).Ok();
        var full = (await cairn.Aws("iam", "add-role-to-instance-profile", "--instance-profile-name", "cli-web-profile", "--role-name", "cli-spare")).Fails("LimitExceeded");
        var got = (await cairn.Aws("iam", "get-instance-profile", "--instance-profile-name", "cli-web-profile")).Ok()["InstanceProfile"]!;
        var forRole = (await cairn.Aws("iam", "list-instance-profiles-for-role", "--role-name", "cli-web")).Ok();
        var listed = (await cairn.Aws("iam", "list-instance-profiles", "--path-prefix", "/app/")).Ok();
        var roleConflict = (await cairn.Aws("iam", "delete-role", "--role-name", "cli-web")).Fails("DeleteConflict");
        var profileConflict = (await cairn.Aws("iam", "delete-instance-profile", "--instance-profile-name", "cli-web-profile")).Fails("DeleteConflict");
        (await cairn.Aws("iam", "untag-instance-profile", "--instance-profile-name", "cli-web-profile", "--tag-keys", "team")).Ok();
        (await cairn.Aws("iam", "tag-instance-profile", "--instance-profile-name", "cli-web-profile", "--tags", "Key=env,Value=prod")).Ok();
        var tags = (await cairn.Aws("iam", "list-instance-profile-tags", "--instance-profile-name", "cli-web-profile")).Ok();
        (await cairn.Aws("iam", "remove-role-from-instance-profile", "--instance-profile-name", "cli-web-profile", "--role-name", "cli-web")).Ok();
        var notIn = (await cairn.Aws("iam", "remove-role-from-instance-profile", "--instance-profile-name", "cli-web-profile", "--role-name", "cli-web")).Fails("NoSuchEntity");
        (await cairn.Aws("iam", "delete-role", "--role-name", "cli-web")).Ok();
        (await cairn.Aws("iam", "delete-instance-profile", "--instance-profile-name", "cli-web-profile")).Ok();
        var gone = (await cairn.Aws("iam", "get-instance-profile", "--instance-profile-name", "cli-web-profile")).Fails("NoSuchEntity");

        Assert.Equal("arn:aws:iam::000000000000:instance-profile/app/cli-web-profile", created["Arn"]!.GetValue<string>());
        Assert.StartsWith("AIPA", created["InstanceProfileId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(created["Roles"]!.AsArray());
        Assert.Contains("Instance Profile cli-web-profile already exists.", duplicate, StringComparison.Ordinal);
        Assert.Contains("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1", full, StringComparison.Ordinal);
        Assert.Equal(["cli-web"], got["Roles"]!.AsArray().Select(r => r!["RoleName"]!.GetValue<string>()));
        Assert.Equal(["cli-web-profile"], forRole["InstanceProfiles"]!.AsArray().Select(p => p!["InstanceProfileName"]!.GetValue<string>()));
        Assert.Equal(["cli-web-profile"], listed["InstanceProfiles"]!.AsArray().Select(p => p!["InstanceProfileName"]!.GetValue<string>()));
        Assert.Contains("must remove roles from instance profile first", roleConflict, StringComparison.Ordinal);
        Assert.Contains("must remove roles from instance profile first", profileConflict, StringComparison.Ordinal);
        Assert.Equal(["env"], tags["Tags"]!.AsArray().Select(t => t!["Key"]!.GetValue<string>()));
        Assert.Contains("is not in the instance profile cli-web-profile", notIn, StringComparison.Ordinal);
        Assert.Contains("Instance Profile cli-web-profile cannot be found.", gone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boto3_parses_instance_profiles_with_their_roles()
    {
        var result = await cairn.Boto3($$"""
            import datetime
            iam.create_role(RoleName="boto-worker", AssumeRolePolicyDocument='{{Ec2Trust}}')
            p = iam.create_instance_profile(InstanceProfileName="boto-worker-profile", Tags=[{"Key": "k", "Value": "v"}])["InstanceProfile"]
            assert p["Path"] == "/" and isinstance(p["CreateDate"], datetime.datetime) and p["Roles"] == [], p
            iam.add_role_to_instance_profile(InstanceProfileName="boto-worker-profile", RoleName="boto-worker")
            g = iam.get_instance_profile(InstanceProfileName="boto-worker-profile")["InstanceProfile"]
            assert g["Roles"][0]["RoleName"] == "boto-worker" and g["Roles"][0]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"] == "ec2.amazonaws.com", g
            assert g["Tags"] == [{"Key": "k", "Value": "v"}], g
            l = iam.list_instance_profiles_for_role(RoleName="boto-worker")
            assert [x["InstanceProfileName"] for x in l["InstanceProfiles"]] == ["boto-worker-profile"] and l["IsTruncated"] is False, l
            print(error_code(iam.delete_role, RoleName="boto-worker"))
            print(error_code(iam.list_instance_profiles_for_role, RoleName="nobody-role"))
            iam.remove_role_from_instance_profile(InstanceProfileName="boto-worker-profile", RoleName="boto-worker")
            iam.delete_instance_profile(InstanceProfileName="boto-worker-profile")
            print(error_code(iam.delete_instance_profile, InstanceProfileName="boto-worker-profile"))
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("DeleteConflict: Cannot delete entity, must remove roles from instance profile first.", lines[0]);
        Assert.Equal("NoSuchEntity: The role with name nobody-role cannot be found.", lines[1]);
        Assert.Equal("NoSuchEntity: Instance Profile boto-worker-profile cannot be found.", lines[2]);
    }
}
