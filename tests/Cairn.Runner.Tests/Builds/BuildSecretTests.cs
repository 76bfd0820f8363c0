using Cairn.Core.Builds;
using System.Text;
using Cairn.Runner.Builds;
using Cairn.Runner.Phases;

namespace Cairn.Runner.Tests.Builds;

public sealed class BuildSecretTests : IDisposable
{
    private const string Password = "s3cr3t-Pa55word!";
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private const string ParameterStoreBuildspec = """
        version: 0.2
        env:
          parameter-store:
            DOCKER_PASSWORD: my_app_Docker_credentials_password
        phases:
          build:
            commands:
              - echo "plain $DOCKER_PASSWORD"
              - printf %s "$DOCKER_PASSWORD" | base64
              - printf 'xy%s' "$DOCKER_PASSWORD" | base64
              - printf 'length %s\n' "${#DOCKER_PASSWORD}"
        """;

    [Fact]
    public async Task Parameter_store_values_reach_the_commands_and_are_masked_everywhere_in_the_log()
    {
        _harness.Secrets.Add("my_app_Docker_credentials_password", Password);

        var (result, log) = await _harness.RunAsync(ParameterStoreBuildspec);

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        Assert.Contains("plain ***\n", log, StringComparison.Ordinal);
        Assert.Contains($"length {Password.Length}\n", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, log, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Password))[..20], log, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("xy" + Password))[4..20], log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parameter_store_values_are_read_in_one_GetParameters_call_before_any_command()
    {
        _harness.Secrets.Add("a", "value-a", "String").Add("b", "value-b");

        var (result, log) = await _harness.RunAsync("version: 0.2\nenv:\n  parameter-store:\n    A: a\n    B: b\nphases:\n  build:\n    commands:\n      - echo \"$A $B\"\n");

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        Assert.Equal(["a", "b"], Assert.Single(_harness.Secrets.Calls));
        Assert.Contains("*** ***\n", log, StringComparison.Ordinal);
        Assert.True(log.IndexOf("Decrypting parameter store environment variables", StringComparison.Ordinal) < log.IndexOf("Running command", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resolve_references_are_replaced_in_place_and_only_secure_ones_are_masked()
    {
        _harness.Secrets.Add("/app/url", "registry.example.com", "String").Add("/app/password", Password);
        var yaml = """
            version: 0.2
            env:
              variables:
                URL: "https://{{resolve:ssm:/app/url}}/v2"
                LOGIN: "user:{{resolve:ssm-secure:/app/password}}"
            phases:
              build:
                commands:
                  - echo "$URL"
                  - echo "$LOGIN"
            """;

        var (result, log) = await _harness.RunAsync(yaml);

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        Assert.Contains("https://registry.example.com/v2\n", log, StringComparison.Ordinal);
        Assert.Contains("user:***\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_ssm_reference_to_a_SecureString_is_masked_and_warned_about()
    {
        _harness.Secrets.Add("/my_app_Docker_credentials_password", Password);

        var (_, log) = await _harness.RunAsync("version: 0.2\nenv:\n  variables:\n    P: \"{{resolve:ssm:/my_app_Docker_credentials_password}}\"\nphases:\n  build:\n    commands:\n      - echo \"$P\"\n");

        Assert.DoesNotContain(Password, log, StringComparison.Ordinal);
        Assert.Contains("[WARN] {{resolve:ssm:/my_app_Docker_credentials_password}} names a SecureString", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_versioned_reference_asks_for_that_version()
    {
        _harness.Secrets.Add("/app/token:2", "old-token-value", "SecureString");

        var (result, _) = await _harness.RunAsync("version: 0.2\nenv:\n  variables:\n    T: \"{{resolve:ssm-secure:/app/token:2}}\"\nphases:\n  build:\n    commands:\n      - test \"$T\" = old-token-value\n");

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        Assert.Equal(["/app/token:2"], Assert.Single(_harness.Secrets.Calls));
    }

    [Fact]
    public async Task A_missing_parameter_fails_DOWNLOAD_SOURCE_with_AWS_text_and_runs_no_command()
    {
        _harness.Secrets.Add("my-app-docker-registry-url", "docker.io", "String");
        var yaml = "version: 0.2\nenv:\n  parameter-store:\n    URL: my_app_Docker_registry_URL\nphases:\n  install:\n    commands:\n      - touch ran\n";

        var (result, log) = await _harness.RunAsync(yaml);

        Assert.Equal(BuildStatuses.Failed, result.Status);
        var phase = result.Phase(BuildPhaseTypes.DownloadSource)!;
        Assert.Equal(new PhaseContext("Decrypted Variables Error", "parameter does not exist: my_app_Docker_registry_URL"), phase.Contexts!.Single());
        Assert.Contains("Phase complete: DOWNLOAD_SOURCE State: FAILED\n", log, StringComparison.Ordinal);
        Assert.Contains("Phase context status code: Decrypted Variables Error Message: parameter does not exist: my_app_Docker_registry_URL\n", log, StringComparison.Ordinal);
        Assert.Contains("did you mean my-app-docker-registry-url?", phase.Hint, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_harness.Source, "ran")));
        Assert.DoesNotContain(result.Phases, p => p.PhaseType == BuildPhaseTypes.Install);
    }

    [Fact]
    public async Task A_missing_parameter_without_a_near_name_says_how_to_create_it()
    {
        var (result, _) = await _harness.RunAsync("version: 0.2\nenv:\n  parameter-store:\n    X: /nothing/like/it\nphases:\n  build:\n    commands:\n      - echo\n");

        Assert.Equal(
            "parameter /nothing/like/it does not exist; create it with: aws ssm put-parameter --name '/nothing/like/it' --type SecureString --value '...'",
            result.Phase(BuildPhaseTypes.DownloadSource)!.Hint);
    }

    [Fact]
    public async Task A_denied_parameter_fails_with_AccessDeniedException_and_the_exact_statement_and_command()
    {
        _harness.Secrets.Add("my_app_Docker_credentials_username", "user").Add("my_app_Docker_credentials_password", Password);
        _harness.Secrets.Denied.Add("my_app_Docker_credentials_password");
        var yaml = """
            version: 0.2
            env:
              parameter-store:
                USER_NAME: my_app_Docker_credentials_username
                PASSWORD: my_app_Docker_credentials_password
            phases:
              build:
                commands:
                  - echo never
            """;

        var (result, log) = await _harness.RunAsync(yaml);

        var phase = result.Phase(BuildPhaseTypes.DownloadSource)!;
        Assert.Equal("Decrypted Variables Error", phase.Contexts!.Single().StatusCode);
        Assert.Equal(
            $"AccessDeniedException: User: {FakeSecretSource.Principal} is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:000000000000:parameter/my_app_Docker_credentials_password because no identity-based policy allows the ssm:GetParameters action",
            phase.Contexts!.Single().Message);
        Assert.Equal(
            """
            The role codebuild-service-role may not read a parameter the build needs. It lacks this policy statement:
            {
              "Effect": "Allow",
              "Action": "ssm:GetParameters",
              "Resource": "arn:aws:ssm:us-east-1:000000000000:parameter/my_app_Docker_credentials_password"
            }
            Add it with:
            aws iam put-role-policy --role-name codebuild-service-role --policy-name cairn-build-demo-53937b3d --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameters","Resource":"arn:aws:ssm:us-east-1:000000000000:parameter/my_app_Docker_credentials_password"}]}'
            """,
            phase.Hint);
        var context = log.IndexOf("Phase context status code: Decrypted Variables Error Message: AccessDeniedException: User: ", StringComparison.Ordinal);
        Assert.True(context > 0 && log.IndexOf("Hint: The role codebuild-service-role", StringComparison.Ordinal) > context, log);
        Assert.DoesNotContain("never\n", log.Replace("echo never", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parameter_under_a_customer_key_also_needs_kms_Decrypt_in_the_fix()
    {
        const string Key = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        _harness.Secrets.Add("/prod/db", Password);
        _harness.Secrets.Denied.Add("/prod/db");
        _harness.Secrets.CustomerKeys["/prod/db"] = Key;

        var (result, _) = await _harness.RunAsync("version: 0.2\nenv:\n  parameter-store:\n    DB: /prod/db\nphases:\n  build:\n    commands:\n      - echo\n");

        var hint = result.Phase(BuildPhaseTypes.DownloadSource)!.Hint!;
        Assert.Contains("\"Action\":\"kms:Decrypt\",\"Resource\":\"" + Key + "\"", hint, StringComparison.Ordinal);
        Assert.Contains("\"Resource\":\"arn:aws:ssm:us-east-1:000000000000:parameter/prod/db\"", hint, StringComparison.Ordinal);
        Assert.Contains("It lacks these policy statements:", hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kms_denial_names_the_key_in_the_fix()
    {
        const string Key = "arn:aws:kms:us-east-1:000000000000:key/feedface-0000-4000-8000-000000000000";
        _harness.Secrets.Add("/prod/db", Password);
        _harness.Secrets.CustomerKeys["/prod/db"] = Key;
        _harness.Secrets.KeyDenied.Add("/prod/db");

        var (result, _) = await _harness.RunAsync("version: 0.2\nenv:\n  parameter-store:\n    DB: /prod/db\nphases:\n  build:\n    commands:\n      - echo\n");

        var phase = result.Phase(BuildPhaseTypes.DownloadSource)!;
        Assert.StartsWith("AccessDeniedException: User: ", phase.Contexts!.Single().Message, StringComparison.Ordinal);
        Assert.Contains("may not decrypt with a customer managed key", phase.Hint, StringComparison.Ordinal);
        Assert.Contains("{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"" + Key + "\"}", phase.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("ssm:GetParameters", phase.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_policy_denial_says_the_key_policy_must_change_not_the_role()
    {
        const string Key = "arn:aws:kms:us-east-1:000000000000:key/feedface-0000-4000-8000-000000000000";
        _harness.Secrets.Add("/prod/db", Password);
        _harness.Secrets.CustomerKeys["/prod/db"] = Key;
        _harness.Secrets.KeyPolicyDenied.Add("/prod/db");

        var (result, _) = await _harness.RunAsync("version: 0.2\nenv:\n  parameter-store:\n    DB: /prod/db\nphases:\n  build:\n    commands:\n      - echo\n");

        var phase = result.Phase(BuildPhaseTypes.DownloadSource)!;
        Assert.Contains("with an explicit deny in a resource-based policy", phase.Contexts!.Single().Message, StringComparison.Ordinal);
        Assert.StartsWith($"The key policy of {Key} refuses arn:aws:iam::000000000000:role/codebuild-service-role kms:Decrypt: a Deny statement", phase.Hint, StringComparison.Ordinal);
        Assert.Contains($"aws kms put-key-policy --key-id {Key} --policy-name default", phase.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("put-role-policy", phase.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fix_is_least_privilege_the_one_action_on_the_exact_ARN_of_what_was_denied()
    {
        _harness.Secrets.Add("/prod/db", "x1x1x1").Add("/prod/ok", "y2y2y2");
        _harness.Secrets.Denied.Add("/prod/db");

        var (result, _) = await _harness.RunAsync("version: 0.2\nenv:\n  parameter-store:\n    DB: /prod/db:3\n    OK: /prod/ok\nphases:\n  build:\n    commands:\n      - echo\n");

        var hint = result.Phase(BuildPhaseTypes.DownloadSource)!.Hint!;
        var document = System.Text.Json.Nodes.JsonNode.Parse(hint[(hint.IndexOf("--policy-document '", StringComparison.Ordinal) + 19)..hint.LastIndexOf('\'')])!;
        var statement = Assert.Single(document["Statement"]!.AsArray())!;
        // Not ssm:* or a wildcard resource, not the version selector, not the parameter the role may already read.
        Assert.Equal("""{"Effect":"Allow","Action":"ssm:GetParameters","Resource":"arn:aws:ssm:us-east-1:000000000000:parameter/prod/db"}""", statement.ToJsonString());
        Assert.DoesNotContain("prod/ok", hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_denied_parameters_are_all_named_in_one_statement()
    {
        _harness.Secrets.Add("/a", "x1x1x1").Add("/b", "y2y2y2").Add("/c", "z3z3z3");
        _harness.Secrets.Denied.UnionWith(["/a", "/c"]);

        var (result, _) = await _harness.RunAsync("version: 0.2\nenv:\n  parameter-store:\n    A: /a\n    B: /b\n    C: /c\nphases:\n  build:\n    commands:\n      - echo\n");

        var hint = result.Phase(BuildPhaseTypes.DownloadSource)!.Hint!;
        Assert.Contains("\"Resource\":[\"arn:aws:ssm:us-east-1:000000000000:parameter/a\",\"arn:aws:ssm:us-east-1:000000000000:parameter/c\"]", hint, StringComparison.Ordinal);
        Assert.Contains("may not read 2 parameters", hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_secret_source_a_build_that_needs_parameters_fails_clearly()
    {
        var (result, _) = await _harness.RunAsync(
            "version: 0.2\nenv:\n  parameter-store:\n    A: /a\nphases:\n  build:\n    commands:\n      - echo\n",
            request => request with { Secrets = null });

        Assert.Equal(new PhaseContext("Decrypted Variables Error", "no Parameter Store to read /a from"), result.Phase(BuildPhaseTypes.DownloadSource)!.Contexts!.Single());
    }

    [Fact]
    public async Task Secrets_manager_variables_are_read_with_their_json_key_and_masked()
    {
        _harness.Secrets.SecretValues["prod/registry"] = """{"username":"ci-bot","password":"pa55-w0rd-xyz","port":5000}""";
        _harness.Secrets.SecretValues["prod/token"] = "whole-token-value-123";

        var (result, log) = await _harness.RunAsync(
            "version: 0.2\nenv:\n  secrets-manager:\n    USER: prod/registry:username\n    PASS: prod/registry:password\n    PORT: prod/registry:port\nphases:\n  build:\n    commands:\n      - echo \"u=$USER p=$PASS port=$PORT t=$TOKEN\"\n",
            request => request with { ProjectVariables = [new EnvironmentVariable("TOKEN", "prod/token", EnvironmentVariable.SecretsManager)] });

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        Assert.Contains("u=*** p=*** port=*** t=***", log, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55-w0rd-xyz", log, StringComparison.Ordinal);
        Assert.DoesNotContain("whole-token-value-123", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_denied_secret_fails_DOWNLOAD_SOURCE_with_the_statement_the_role_needs()
    {
        _harness.Secrets.SecretValues["prod/token"] = "t";
        _harness.Secrets.DeniedSecrets.Add("prod/token");

        var (result, log) = await _harness.RunAsync("version: 0.2\nenv:\n  secrets-manager:\n    TOKEN: prod/token\nphases:\n  build:\n    commands:\n      - echo never\n");

        var context = result.Phase(BuildPhaseTypes.DownloadSource)!.Contexts!.Single();
        Assert.Equal("Secrets Manager Error", context.StatusCode);
        Assert.StartsWith("AccessDeniedException: User: ", context.Message, StringComparison.Ordinal);
        Assert.Contains("\"Action\": \"secretsmanager:GetSecretValue\"", log, StringComparison.Ordinal);
        Assert.Contains("aws iam put-role-policy --role-name codebuild-service-role", log, StringComparison.Ordinal);
        Assert.Equal(BuildStatuses.Failed, result.Status);
    }

    [Fact]
    public async Task A_missing_secret_or_json_key_fails_DOWNLOAD_SOURCE_with_Secrets_Managers_text()
    {
        _harness.Secrets.SecretValues["prod/db"] = """{"user":"u"}""";

        var (missing, _) = await _harness.RunAsync("version: 0.2\nenv:\n  secrets-manager:\n    T: prod/nothing\nphases:\n  build:\n    commands:\n      - echo\n");
        var (noKey, _) = await _harness.RunAsync("version: 0.2\nenv:\n  secrets-manager:\n    P: prod/db:password\nphases:\n  build:\n    commands:\n      - echo\n");

        Assert.Equal("ResourceNotFoundException: Secrets Manager can't find the specified secret.", missing.Phase(BuildPhaseTypes.DownloadSource)!.Contexts!.Single().Message);
        Assert.StartsWith("secret key not found in JSON: password", noKey.Phase(BuildPhaseTypes.DownloadSource)!.Contexts!.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_secrets_such_as_the_access_key_id_are_masked_from_the_start()
    {
        var (_, log) = await _harness.RunAsync(
            "version: 0.2\nphases:\n  build:\n    commands:\n      - echo \"key $AWS_ACCESS_KEY_ID\"\n",
            request => request with
            {
                SystemVariables = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "AKIAEXAMPLEEXAMPLE12" },
                SecretValues = ["AKIAEXAMPLEEXAMPLE12"],
            });

        Assert.Contains("key ***\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Project_and_override_parameter_store_variables_are_resolved_and_masked()
    {
        _harness.Secrets.Add("/p", "project-secret-1").Add("/o", "override-secret-2");

        var (result, log) = await _harness.RunAsync(
            "version: 0.2\nphases:\n  build:\n    commands:\n      - echo \"$P $O\"\n",
            request => request with
            {
                ProjectVariables = [new EnvironmentVariable("P", "/p", EnvironmentVariable.ParameterStore)],
                OverrideVariables = [new EnvironmentVariable("O", "/o", EnvironmentVariable.ParameterStore)],
            });

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        Assert.Contains("*** ***\n", log, StringComparison.Ordinal);
    }
}
