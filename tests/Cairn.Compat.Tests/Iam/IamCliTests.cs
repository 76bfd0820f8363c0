using System.Text.Json.Nodes;
using Cairn.Server.Hosting;

namespace Cairn.Compat.Tests.Iam;

/// <summary>The seeds' IAM and STS commands, run with the real aws CLI against an in-process Cairn.</summary>
public sealed class IamCliTests : IAsyncLifetime
{
    private const string Account = "000000000000";
    private const string CodeBuildTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "cairn-iam-cli-" + Guid.NewGuid().ToString("N"));
    private CairnServer? _server;
    private CliRunner _aws = null!;

    public async Task InitializeAsync()
    {
        _server = await CairnServer.StartAsync(new CairnServerOptions
        {
            DataDirectory = _data,
            Port = 0,
            RootAccessKeyId = "AKIAIOSFODNN7EXAMPLE",
            RootSecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        });
        _aws = new CliRunner(_server.Endpoint, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task The_seeds_create_a_CodeBuild_role_and_attach_AmazonSSMFullAccess()
    {
        var trustFile = Path.Combine(_data, "trust.json");
        await File.WriteAllTextAsync(trustFile, CodeBuildTrust);

        var created = await _aws.RunAsync("iam", "create-role", "--role-name", "code_build_service_role", "--assume-role-policy-document", "file://" + trustFile);
        await _aws.RunAsync("iam", "attach-role-policy", "--role-name", "code_build_service_role", "--policy-arn", "arn:aws:iam::aws:policy/AmazonSSMFullAccess");
        await _aws.RunAsync("iam", "attach-role-policy", "--role-name", "code_build_service_role", "--policy-arn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess");
        var attached = await _aws.RunAsync("iam", "list-attached-role-policies", "--role-name", "code_build_service_role");
        var role = await _aws.RunAsync("iam", "get-role", "--role-name", "code_build_service_role");

        Assert.Equal($"arn:aws:iam::{Account}:role/code_build_service_role", created!["Role"]!["Arn"]!.GetValue<string>());
        Assert.Equal(
            ["AmazonSSMFullAccess", "AmazonSSMReadOnlyAccess"],
            attached!["AttachedPolicies"]!.AsArray().Select(p => p!["PolicyName"]!.GetValue<string>()));
        // The CLI URL-decodes and parses the trust policy: it must come back as the document we sent.
        Assert.Equal(CodeBuildTrust, CliRunner.Compact(role!["Role"]!["AssumeRolePolicyDocument"]));
        Assert.Equal(3600, role["Role"]!["MaxSessionDuration"]!.GetValue<int>());
    }

    [Fact]
    public async Task Assumed_role_credentials_work_with_the_CLI_and_are_limited_to_the_roles_rights()
    {
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"sts:AssumeRole"}]}""";
        await _aws.RunAsync("iam", "create-role", "--role-name", "reader", "--assume-role-policy-document", trust);
        await _aws.RunAsync("iam", "attach-role-policy", "--role-name", "reader", "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess");

        await _aws.RunAsync("iam", "create-user", "--user-name", "assumer");
        await _aws.RunAsync("iam", "attach-user-policy", "--user-name", "assumer", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess");
        var assumerKey = (await _aws.RunAsync("iam", "create-access-key", "--user-name", "assumer"))!["AccessKey"]!;
        var assumer = _aws.As(assumerKey["AccessKeyId"]!.GetValue<string>(), assumerKey["SecretAccessKey"]!.GetValue<string>(), null);
        var assumed = await assumer.RunAsync("sts", "assume-role", "--role-arn", $"arn:aws:iam::{Account}:role/reader", "--role-session-name", "cli-test");
        var credentials = assumed!["Credentials"]!;
        var session = _aws.As(credentials["AccessKeyId"]!.GetValue<string>(), credentials["SecretAccessKey"]!.GetValue<string>(), credentials["SessionToken"]!.GetValue<string>());
        var identity = await session.RunAsync("sts", "get-caller-identity");
        var roles = await session.RunAsync("iam", "list-roles");
        var denied = await session.TryAsync("iam", "create-user", "--user-name", "mallory");

        Assert.StartsWith("ASIA", credentials["AccessKeyId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/reader/cli-test", assumed["AssumedRoleUser"]!["Arn"]!.GetValue<string>());
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/reader/cli-test", identity!["Arn"]!.GetValue<string>());
        Assert.Equal(Account, identity["Account"]!.GetValue<string>());
        Assert.Contains("reader", roles!["Roles"]!.AsArray().Select(r => r!["RoleName"]!.GetValue<string>()));
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains(
            $"An error occurred (AccessDenied) when calling the CreateUser operation: User: arn:aws:sts::{Account}:assumed-role/reader/cli-test is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::{Account}:user/mallory because no identity-based policy allows the iam:CreateUser action",
            denied.Stderr,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_with_an_access_key_signs_in_as_itself()
    {
        await _aws.RunAsync("iam", "create-user", "--user-name", "bob");
        var key = (await _aws.RunAsync("iam", "create-access-key", "--user-name", "bob"))!["AccessKey"]!;
        var bob = _aws.As(key["AccessKeyId"]!.GetValue<string>(), key["SecretAccessKey"]!.GetValue<string>(), null);

        var identity = await bob.RunAsync("sts", "get-caller-identity");
        var denied = await bob.TryAsync("iam", "list-users");

        Assert.Equal($"arn:aws:iam::{Account}:user/bob", identity!["Arn"]!.GetValue<string>());
        Assert.Contains("(AccessDenied) when calling the ListUsers operation: User: arn:aws:iam::000000000000:user/bob is not authorized to perform: iam:ListUsers", denied.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policy_documents_and_errors_reach_the_CLI_as_AWS_sends_them()
    {
        var version = await _aws.RunAsync("iam", "get-policy-version", "--policy-arn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess", "--version-id", "v1");
        var malformed = await _aws.TryAsync("iam", "create-policy", "--policy-name", "broken",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Principal":"*","Resource":"*"}]}""");
        var missing = await _aws.TryAsync("iam", "get-role", "--role-name", "nope");

        Assert.Equal(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:Describe*","ssm:Get*","ssm:List*"],"Resource":"*"}]}""",
            CliRunner.Compact(version!["PolicyVersion"]!["Document"]));
        Assert.Contains("An error occurred (MalformedPolicyDocument) when calling the CreatePolicy operation: Policy document should not specify a principal.", malformed.Stderr, StringComparison.Ordinal);
        Assert.Contains("An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name nope cannot be found.", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Date_conditions_with_offsets_beyond_14_hours_are_accepted_and_bad_offsets_are_malformed()
    {
        static string WithDate(string date) =>
            """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateLessThanEquals":{"aws:CurrentTime":""" + "\"" + date + "\"}}}}";

        var plus23 = await _aws.RunAsync("iam", "create-policy", "--policy-name", "offset-23", "--policy-document", WithDate("2016-12-13T2:00:00.593194+23"));
        var plus15 = await _aws.RunAsync("iam", "create-policy", "--policy-name", "offset-15", "--policy-document", WithDate("2016-12-13T02:00:00+15:00"));
        var plus24 = await _aws.TryAsync("iam", "create-policy", "--policy-name", "offset-24", "--policy-document", WithDate("2016-12-13T02:00:00+24:00"));

        Assert.Equal($"arn:aws:iam::{Account}:policy/offset-23", plus23!["Policy"]!["Arn"]!.GetValue<string>());
        Assert.Equal($"arn:aws:iam::{Account}:policy/offset-15", plus15!["Policy"]!["Arn"]!.GetValue<string>());
        Assert.Contains("An error occurred (MalformedPolicyDocument) when calling the CreatePolicy operation: The policy failed legacy parsing", plus24.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3_access_point_arns_may_carry_a_region_and_bucket_arns_may_not()
    {
        var accessPoint = await _aws.RunAsync("iam", "create-policy", "--policy-name", "access-point",
            "--policy-document", """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point"}}""");
        var bucket = await _aws.TryAsync("iam", "create-policy", "--policy-name", "bucket",
            "--policy-document", """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:us-east-1::example_bucket"}}""");

        Assert.Equal($"arn:aws:iam::{Account}:policy/access-point", accessPoint!["Policy"]!["Arn"]!.GetValue<string>());
        Assert.Contains("An error occurred (MalformedPolicyDocument) when calling the CreatePolicy operation: Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.", bucket.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_policy_echoes_its_description_and_get_policy_lists_no_tags_as_an_empty_list()
    {
        var created = await _aws.RunAsync("iam", "create-policy", "--policy-name", "described", "--description", "reads the build secrets",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"*"}]}""");
        var arn = created!["Policy"]!["Arn"]!.GetValue<string>();

        var fetched = await _aws.RunAsync("iam", "get-policy", "--policy-arn", arn);

        Assert.Equal("reads the build secrets", created["Policy"]!["Description"]!.GetValue<string>());
        Assert.Equal("reads the build secrets", fetched!["Policy"]!["Description"]!.GetValue<string>());
        Assert.Empty(fetched["Policy"]!["Tags"]!.AsArray());
    }

    [Fact]
    public async Task Untag_user_and_untag_policy_refuse_more_than_50_tag_keys_with_AWSs_text()
    {
        await _aws.RunAsync("iam", "create-user", "--user-name", "many-tags");
        var created = await _aws.RunAsync("iam", "create-policy", "--policy-name", "many-tags",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"*"}]}""");
        var keys = Enumerable.Range(1, 51).Select(i => $"k{i}").ToArray();
        var expected = $"An error occurred (ValidationError) when calling the {{0}} operation: 1 validation error detected: Value '[{string.Join(", ", keys)}]' at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 50";

        var user = await _aws.TryAsync(["iam", "untag-user", "--user-name", "many-tags", "--tag-keys", .. keys]);
        var policy = await _aws.TryAsync(["iam", "untag-policy", "--policy-arn", created!["Policy"]!["Arn"]!.GetValue<string>(), "--tag-keys", .. keys]);

        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, "UntagUser"), user.Stderr, StringComparison.Ordinal);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, "UntagPolicy"), policy.Stderr, StringComparison.Ordinal);
        await _aws.RunAsync(["iam", "untag-user", "--user-name", "many-tags", "--tag-keys", .. keys[..50]]);
    }

    [Fact]
    public async Task The_simulator_explains_decisions_to_the_CLI()
    {
        await _aws.RunAsync("iam", "create-role", "--role-name", "codebuild-service-role", "--assume-role-policy-document", CodeBuildTrust);
        await _aws.RunAsync("iam", "put-role-policy", "--role-name", "codebuild-service-role", "--policy-name", "read-password",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Action":"ssm:GetParameters","Effect":"Allow","Resource":"arn:aws:ssm:us-east-1:000000000000:parameter/my_app_Docker_credentials_password"}]}""");

        var result = await _aws.RunAsync("iam", "simulate-principal-policy", "--policy-source-arn", $"arn:aws:iam::{Account}:role/codebuild-service-role",
            "--action-names", "ssm:GetParameters", "ssm:PutParameter",
            "--resource-arns", "arn:aws:ssm:us-east-1:000000000000:parameter/my_app_Docker_credentials_password");

        var decisions = result!["EvaluationResults"]!.AsArray().Select(r => (r!["EvalActionName"]!.GetValue<string>(), r["EvalDecision"]!.GetValue<string>()));
        Assert.Equal([("ssm:GetParameters", "allowed"), ("ssm:PutParameter", "implicitDeny")], decisions);
    }
}
