using Cairn.Compat.Tests.Infrastructure;
using Cairn.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Compat.Tests.Iam;

/// <summary>
/// The seeds' permission story with real clients: Parameter Store access follows IAM policies exactly as on AWS,
/// denials carry AWS's text, a Deny beats every Allow, and every decision is audited.
/// </summary>
public sealed class AccessControlTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private const string Account = "000000000000";

    private async Task<IReadOnlyDictionary<string, string>> NewUserAsync(string name, params string[] managedPolicies)
    {
        (await cairn.Aws("iam", "create-user", "--user-name", name)).Ok();
        foreach (var policy in managedPolicies)
        {
            (await cairn.Aws("iam", "attach-user-policy", "--user-name", name, "--policy-arn", policy)).Ok();
        }

        var key = (await cairn.Aws("iam", "create-access-key", "--user-name", name)).Ok()["AccessKey"]!;
        return cairn.Credentials(key["AccessKeyId"]!.GetValue<string>(), key["SecretAccessKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_seeds_attach_role_policy_commands_work_verbatim()
    {
        const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
        foreach (var role in new[] { "codebuild-service-role", "code_build_service_role", "CodeBuildServiceRole" })
        {
            (await cairn.Aws("iam", "create-role", "--role-name", role, "--assume-role-policy-document", Trust)).Ok();
        }

        (await cairn.Aws("iam", "attach-role-policy", "--role-name", "codebuild-service-role", "--policy-arn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess")).Ok();
        (await cairn.Aws("iam", "attach-role-policy", "--role-name", "code_build_service_role", "--policy-arn", "arn:aws:iam::aws:policy/AmazonSSMFullAccess")).Ok();
        (await cairn.Aws("iam", "attach-role-policy", "--role-name", "CodeBuildServiceRole", "--policy-arn", "arn:aws:iam::aws:policy/AmazonSSMFullAccess")).Ok();

        var attached = (await cairn.Aws("iam", "list-attached-role-policies", "--role-name", "codebuild-service-role")).Ok()["AttachedPolicies"]!.AsArray();
        Assert.Equal("AmazonSSMReadOnlyAccess", Assert.Single(attached)!["PolicyName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_user_with_only_AmazonSSMReadOnlyAccess_can_get_but_not_put()
    {
        (await cairn.Aws("ssm", "put-parameter", "--name", "/acl/readable", "--value", "v", "--type", "SecureString")).Ok();
        var reader = await NewUserAsync("ssm-reader", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess");

        var read = (await cairn.AwsAs(reader, "ssm", "get-parameter", "--name", "/acl/readable", "--with-decryption")).Ok();
        Assert.Equal("v", read["Parameter"]!["Value"]!.GetValue<string>());

        var stderr = (await cairn.AwsAs(reader, "ssm", "put-parameter", "--name", "/acl/readable", "--value", "w", "--overwrite")).Fails("AccessDeniedException");
        Assert.Contains(
            $"User: arn:aws:iam::{Account}:user/ssm-reader is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:{Account}:parameter/acl/readable because no identity-based policy allows the ssm:PutParameter action",
            stderr, StringComparison.Ordinal);

        await cairn.Server.Services.GetRequiredService<IAuditLog>().FlushAsync(default);
        var audit = await cairn.Server.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery(PrincipalContains: "user/ssm-reader", ActionPrefix: "ssm:"), default);
        Assert.Contains(audit, e => e is { Action: "ssm:PutParameter", Decision: "Deny", ErrorCode: "AccessDeniedException" });
        Assert.Contains(audit, e => e is { Action: "ssm:GetParameter", Decision: "Allow", ErrorCode: null });
    }

    [Fact]
    public async Task Cairn_audit_lists_a_denial_by_principal_and_decision_without_any_secret()
    {
        (await cairn.Aws("ssm", "put-parameter", "--name", "/audit/secret", "--value", "AuditedSecretValue42", "--type", "SecureString")).Ok();
        var reader = await NewUserAsync("audit-reader");
        (await cairn.AwsAs(reader, "ssm", "get-parameter", "--name", "/audit/secret", "--with-decryption")).Fails("AccessDeniedException");
        await cairn.Server.Services.GetRequiredService<IAuditLog>().FlushAsync(default);

        var listed = await ClientProcess.RunAsync(Path.Combine(AppContext.BaseDirectory, "cairn"),
            ["audit", "--data", cairn.DataDirectory, "--principal", "user/audit-reader", "--decision", "Deny", "--format", "json"],
            new Dictionary<string, string>());

        Assert.True(listed.ExitCode == 0, listed.Stderr);
        var entry = Assert.Single(listed.Json.AsArray());
        Assert.Equal("ssm:GetParameter", entry!["action"]!.GetValue<string>());
        Assert.Equal($"arn:aws:ssm:us-east-1:{Account}:parameter/audit/secret", entry["resource"]!.GetValue<string>());
        Assert.Equal("AccessDeniedException", entry["errorCode"]!.GetValue<string>());
        Assert.DoesNotContain("AuditedSecretValue42", listed.Stdout, StringComparison.Ordinal);

        var bad = await ClientProcess.RunAsync(Path.Combine(AppContext.BaseDirectory, "cairn"),
            ["audit", "--data", cairn.DataDirectory, "--since", "yesterday"], new Dictionary<string, string>());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--since 'yesterday'", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_assumed_role_holds_exactly_its_policies()
    {
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"sts:AssumeRole"}]}""";
        (await cairn.Aws("iam", "create-role", "--role-name", "builder", "--assume-role-policy-document", trust)).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", "x", "--value", "v", "--type", "String")).Ok();
        var assumer = await NewUserAsync("builder-operator", "arn:aws:iam::aws:policy/AdministratorAccess");
        var credentials = (await cairn.AwsAs(assumer, "sts", "assume-role", "--role-arn", $"arn:aws:iam::{Account}:role/builder", "--role-session-name", "s1")).Ok()["Credentials"]!;
        var session = cairn.Credentials(credentials["AccessKeyId"]!.GetValue<string>(), credentials["SecretAccessKey"]!.GetValue<string>(), credentials["SessionToken"]!.GetValue<string>());

        var stderr = (await cairn.AwsAs(session, "ssm", "get-parameters", "--names", "/x")).Fails("AccessDeniedException");
        Assert.Contains(
            $"User: arn:aws:sts::{Account}:assumed-role/builder/s1 is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:{Account}:parameter/x because no identity-based policy allows the ssm:GetParameters action",
            stderr, StringComparison.Ordinal);

        (await cairn.Aws("iam", "attach-role-policy", "--role-name", "builder", "--policy-arn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess")).Ok();
        var allowed = (await cairn.AwsAs(session, "ssm", "get-parameters", "--names", "/x")).Ok();
        Assert.Equal("v", allowed["Parameters"]![0]!["Value"]!.GetValue<string>());
        (await cairn.AwsAs(session, "ssm", "delete-parameter", "--name", "x")).Fails("AccessDeniedException");
    }

    [Fact]
    public async Task The_root_user_may_not_assume_a_role()
    {
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"sts:AssumeRole"}]}""";
        (await cairn.Aws("iam", "create-role", "--role-name", "root-target", "--assume-role-policy-document", trust)).Ok();

        var stderr = (await cairn.Aws("sts", "assume-role", "--role-arn", $"arn:aws:iam::{Account}:role/root-target", "--role-session-name", "s1")).Fails("AccessDenied");

        Assert.Contains("when calling the AssumeRole operation", stderr, StringComparison.Ordinal);
        Assert.Contains(": Roles may not be assumed by root accounts.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sessions_of_a_deleted_role_are_not_honoured_by_a_new_role_of_the_same_name()
    {
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"sts:AssumeRole"}]}""";
        var assumer = await NewUserAsync("recreate-operator", "arn:aws:iam::aws:policy/AdministratorAccess");
        (await cairn.Aws("iam", "create-role", "--role-name", "recreated", "--assume-role-policy-document", trust)).Ok();
        var credentials = (await cairn.AwsAs(assumer, "sts", "assume-role", "--role-arn", $"arn:aws:iam::{Account}:role/recreated", "--role-session-name", "old")).Ok()["Credentials"]!;
        var old = cairn.Credentials(credentials["AccessKeyId"]!.GetValue<string>(), credentials["SecretAccessKey"]!.GetValue<string>(), credentials["SessionToken"]!.GetValue<string>());
        (await cairn.Aws("iam", "delete-role", "--role-name", "recreated")).Ok();
        (await cairn.Aws("iam", "create-role", "--role-name", "recreated", "--assume-role-policy-document", trust)).Ok();
        (await cairn.Aws("iam", "attach-role-policy", "--role-name", "recreated", "--policy-arn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess")).Ok();

        var stderr = (await cairn.AwsAs(old, "ssm", "describe-parameters")).Fails("AccessDeniedException");

        Assert.Contains($"User: arn:aws:sts::{Account}:assumed-role/recreated/old is not authorized to perform: ssm:DescribeParameters", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Deny_statement_beats_every_Allow_with_boto3()
    {
        var user = await NewUserAsync("denied-reader", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess", "arn:aws:iam::aws:policy/AdministratorAccess");
        (await cairn.Aws("iam", "put-user-policy", "--user-name", "denied-reader", "--policy-name", "no-prod",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ssm:Get*","Resource":"arn:aws:ssm:*:*:parameter/prod/*"}]}""")).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", "/prod/db", "--value", "p", "--type", "String")).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", "/dev/db", "--value", "d", "--type", "String")).Ok();

        var result = await cairn.Boto3("""
            print(ssm.get_parameter(Name="/dev/db")["Parameter"]["Value"])
            print(error_code(ssm.get_parameter, Name="/prod/db"))
            print(sts.get_caller_identity()["Arn"])
            """, user);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("d", lines[0]);
        Assert.Equal(
            $"AccessDeniedException: User: arn:aws:iam::{Account}:user/denied-reader is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:us-east-1:{Account}:parameter/prod/db with an explicit deny in an identity-based policy",
            lines[1]);
        Assert.Equal($"arn:aws:iam::{Account}:user/denied-reader", lines[2]);
    }

    [Fact]
    public async Task SecureStrings_under_a_customer_key_also_need_kms_Decrypt()
    {
        var key = (await cairn.Aws("kms", "create-key", "--description", "app key")).Ok()["KeyMetadata"]!["Arn"]!.GetValue<string>();
        (await cairn.Aws("ssm", "put-parameter", "--name", "/cmk/secret", "--value", "s", "--type", "SecureString", "--key-id", key)).Ok();
        var reader = await NewUserAsync("cmk-reader", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess");

        var stderr = (await cairn.AwsAs(reader, "ssm", "get-parameter", "--name", "/cmk/secret", "--with-decryption")).Fails("AccessDeniedException");
        Assert.Contains($"kms:Decrypt on resource: {key}", stderr, StringComparison.Ordinal);
        (await cairn.AwsAs(reader, "ssm", "get-parameter", "--name", "/cmk/secret")).Ok();

        (await cairn.Aws("iam", "put-user-policy", "--user-name", "cmk-reader", "--policy-name", "decrypt",
            "--policy-document", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"{{key}}"}]}""")).Ok();
        var value = (await cairn.AwsAs(reader, "ssm", "get-parameter", "--name", "/cmk/secret", "--with-decryption")).Ok();
        Assert.Equal("s", value["Parameter"]!["Value"]!.GetValue<string>());
    }
}
