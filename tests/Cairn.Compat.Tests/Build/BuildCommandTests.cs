using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Compat.Tests.Infrastructure;
using Cairn.Core.Tests.Buildspec;

namespace Cairn.Compat.Tests.Build;

/// <summary>
/// The built `cairn build` against a Cairn data directory whose parameters, roles and keys were made with the real aws
/// CLI: the seeds' buildspecs (fixed as lint suggests) build and push with masked credentials; a missing parameter
/// and a missing permission fail DOWNLOAD_SOURCE with AWS's words and a fix that works when pasted.
/// </summary>
public sealed partial class BuildCommandTests(CairnFixture cairn) : IClassFixture<CairnFixture>, IDisposable
{
    private const string Password = "Seed-Pa55word!";
    private readonly BuildWorkspace _workspace = new(cairn);

    public void Dispose() => _workspace.Dispose();

    private async Task PutAsync(string name, string value, string type = "SecureString", string? keyId = null)
    {
        string[] key = keyId is null ? [] : ["--key-id", keyId];
        (await cairn.Aws(["ssm", "put-parameter", "--name", name, "--value", value, "--type", type, "--overwrite", .. key])).Ok();
    }

    private async Task CreateCodeBuildRoleAsync(string name) =>
        (await cairn.Aws("iam", "create-role", "--role-name", name, "--assume-role-policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""")).Ok();

    [Fact]
    public async Task The_first_seed_fixed_as_lint_suggests_logs_in_builds_and_pushes_with_masked_credentials()
    {
        await PutAsync("/my_app_Docker_registry_URL", "registry.example.test", "String");
        await PutAsync("/my_app_Docker_credentials_username", "seeduser");
        await PutAsync("/my_app_Docker_credentials_password", Password);
        _workspace.Write("buildspec.yml", SeedBuildspecs.EnvironmentWithResolveFixed);

        var result = await _workspace.BuildAsync();

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("docker push ***/***/sample-python-flask-app\n", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("seeduser", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("registry.example.test", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("push registry.example.test/seeduser/sample-python-flask-app", File.ReadAllText(_workspace.Calls), StringComparison.Ordinal);
        Assert.Equal(Password + "\n", File.ReadAllText(_workspace.LoginStdin));
        Assert.Matches(@"BUILD\s+SUCCEEDED\s+\d", result.Stdout);
        Assert.Contains("== BUILD ==\n", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\e[", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_second_seed_fixed_as_lint_suggests_pushes_only_after_a_good_build()
    {
        await PutAsync("my-app-docker-registry-url", "docker.io", "String");
        await PutAsync("my-app-docker-credentials-username", "seconduser");
        await PutAsync("my-app-docker-credentials-password", Password);
        _workspace.Write("buildspec.yml", SeedBuildspecs.PostBuildPushFixed);

        var result = await _workspace.BuildAsync();

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var calls = File.ReadAllLines(_workspace.Calls);
        Assert.Equal(["login --username seconduser --password-stdin docker.io", "build -t docker.io/seconduser/sample-python-flask-app:latest .", "push docker.io/seconduser/sample-python-flask-app:latest"], calls);
    }

    [Fact]
    public async Task The_path_typo_seed_fails_with_did_you_mean_and_builds_once_fixed()
    {
        await PutAsync("my_app_Docker_credentials_username", "typouser");
        await PutAsync("my_app_Docker_credentials_password", Password);
        await PutAsync("my_app_Docker_registry_URL", "docker.io", "String");
        _workspace.Write("day14/simple_python_app/requirements.txt", "flask\n");
        _workspace.Write("buildspec.yml", SeedBuildspecs.ParameterStoreWithPathTypo);

        var broken = await _workspace.BuildAsync();

        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("Hint: day14/sample_python_app does not exist; did you mean day14/simple_python_app?", broken.Stdout, StringComparison.Ordinal);
        Assert.Contains("INSTALL FAILED: COMMAND_EXECUTION_ERROR: Error while executing command: cd day14/sample_python_app. Reason: exit status 2", broken.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"BUILD\s+skipped", broken.Stdout);

        _workspace.Write("buildspec.yml", SeedBuildspecs.ParameterStoreWithPathTypoFixed);
        var fixedBuild = await _workspace.BuildAsync();

        Assert.True(fixedBuild.ExitCode == 0, fixedBuild.Stdout + fixedBuild.Stderr);
        Assert.Contains("pip install -r requirements.txt", File.ReadAllText(_workspace.Calls), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_parameter_fails_DOWNLOAD_SOURCE_with_AWS_text_and_how_to_fix_it()
    {
        await PutAsync("/dym/app-registry-url", "docker.io", "String");
        _workspace.Write("buildspec.yml", """
            version: 0.2
            env:
              parameter-store:
                REGISTRY: /dym/app_registry_URL
                TOKEN: /missing/token
            phases:
              build:
                commands:
                  - echo never
            """);

        var result = await _workspace.BuildAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Phase complete: DOWNLOAD_SOURCE State: FAILED\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Phase context status code: Decrypted Variables Error Message: parameter does not exist: /dym/app_registry_URL\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("parameter /dym/app_registry_URL does not exist; did you mean /dym/app-registry-url?", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("create it with: aws --endpoint-url http://127.0.0.1:4566 ssm put-parameter --name '/missing/token' --type SecureString", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Running command", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_without_permission_fails_with_AccessDenied_and_the_printed_fix_makes_it_pass()
    {
        await PutAsync("/role-test/password", Password);
        await CreateCodeBuildRoleAsync("role-test-build");
        _workspace.Write("buildspec.yml", "version: 0.2\nenv:\n  parameter-store:\n    PASSWORD: /role-test/password\nphases:\n  build:\n    commands:\n      - echo \"got $PASSWORD\"\n");

        var denied = await _workspace.BuildAsync("--role", "role-test-build");

        Assert.Equal(1, denied.ExitCode);
        Assert.Matches(
            @"Phase context status code: Decrypted Variables Error Message: AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role/role-test-build/cairn-build-[0-9a-f-]+ is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:000000000000:parameter/role-test/password",
            denied.Stdout);
        Assert.Contains("\"Action\": \"ssm:GetParameters\",\n  \"Resource\": \"arn:aws:ssm:us-east-1:000000000000:parameter/role-test/password\"", denied.Stdout, StringComparison.Ordinal);
        await ApplyPrintedFixAsync(denied.Stdout);

        var allowed = await _workspace.BuildAsync("--role", "role-test-build");

        Assert.True(allowed.ExitCode == 0, allowed.Stdout + allowed.Stderr);
        Assert.Contains("got ***\n", allowed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parameter_under_a_customer_key_needs_kms_Decrypt_too_and_the_fix_says_so()
    {
        var key = (await cairn.Aws("kms", "create-key", "--description", "build secrets")).Ok()["KeyMetadata"]!["Arn"]!.GetValue<string>();
        await PutAsync("/cmk-test/password", Password, keyId: key);
        await CreateCodeBuildRoleAsync("cmk-test-build");
        _workspace.Write("buildspec.yml", "version: 0.2\nenv:\n  parameter-store:\n    PASSWORD: /cmk-test/password\nphases:\n  build:\n    commands:\n      - echo \"got $PASSWORD\"\n");

        var denied = await _workspace.BuildAsync("--role", "cmk-test-build");

        Assert.Equal(1, denied.ExitCode);
        Assert.Contains($"\"Action\":\"kms:Decrypt\",\"Resource\":\"{key}\"", denied.Stdout, StringComparison.Ordinal);
        await ApplyPrintedFixAsync(denied.Stdout);

        var allowed = await _workspace.BuildAsync("--role", "cmk-test-build");

        Assert.True(allowed.ExitCode == 0, allowed.Stdout + allowed.Stderr);
        Assert.Contains("got ***\n", allowed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_inside_the_build_call_Cairn_with_the_role_s_rights()
    {
        await PutAsync("/inside/allowed", "fine-value", "String");
        await PutAsync("/inside/forbidden", "other-value", "String");
        await CreateCodeBuildRoleAsync("inside-build");
        (await cairn.Aws("iam", "put-role-policy", "--role-name", "inside-build", "--policy-name", "read-allowed", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameter","ssm:GetParameters"],"Resource":"arn:aws:ssm:us-east-1:000000000000:parameter/inside/allowed"}]}""")).Ok();
        _workspace.Write("buildspec.yml", """
            version: 0.2
            phases:
              build:
                commands:
                  - /usr/bin/aws --endpoint-url "$AWS_ENDPOINT_URL" ssm get-parameter --name /inside/allowed --query Parameter.Value --output text
                  - /usr/bin/aws --endpoint-url "$AWS_ENDPOINT_URL" ssm get-parameter --name /inside/forbidden --query Parameter.Value --output text
            """);

        var result = await _workspace.BuildAsync("--role", "inside-build");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\nfine-value\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:us-east-1:000000000000:parameter/inside/forbidden", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_format_prints_the_result_on_stdout_and_the_log_on_stderr()
    {
        _workspace.Write("buildspec.yml", "version: 0.2\nenv:\n  exported-variables:\n    - TAG\nphases:\n  build:\n    commands:\n      - export TAG=v42\n      - echo built\n");

        var result = await _workspace.BuildAsync("--format", "json", "--project", "json-demo");

        Assert.Equal(0, result.ExitCode);
        var json = result.Json;
        Assert.Equal("SUCCEEDED", json["buildStatus"]!.GetValue<string>());
        Assert.StartsWith("json-demo:", json["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(
            ["SUBMITTED", "QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE", "INSTALL", "PRE_BUILD", "BUILD", "POST_BUILD", "UPLOAD_ARTIFACTS", "FINALIZING", "COMPLETED"],
            json["phases"]!.AsArray().Select(p => p!["phaseType"]!.GetValue<string>()));
        Assert.Equal("v42", json["exportedEnvironmentVariables"]![0]!["value"]!.GetValue<string>());
        Assert.Contains("Running command echo built", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Env_file_overrides_the_buildspec_and_a_failed_build_exits_1()
    {
        _workspace.Write("buildspec.yml", "version: 0.2\nenv:\n  variables:\n    STAGE: dev\nphases:\n  build:\n    commands:\n      - echo \"stage=$STAGE\"\n      - test \"$STAGE\" = dev\n");
        _workspace.Write("override.env", "# StartBuild override\nexport STAGE=\"prod\"\n");

        var result = await _workspace.BuildAsync("--env-file", Path.Combine(_workspace.Source, "override.env"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("stage=prod\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_running_server_can_be_used_with_the_caller_s_credentials()
    {
        await PutAsync("/endpoint-test/token", "endpoint-secret-value");
        _workspace.Write("buildspec.yml", "version: 0.2\nenv:\n  parameter-store:\n    TOKEN: /endpoint-test/token\nphases:\n  build:\n    commands:\n      - test \"$TOKEN\" = endpoint-secret-value && echo \"token $TOKEN\"\n");

        var result = await _workspace.BuildWithAsync(cairn.Credentials(), "--endpoint", cairn.Endpoint);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("token ***\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_trusting_only_codebuild_works_over_endpoint_url_as_over_data()
    {
        await PutAsync("/role-rule/token", "role-rule-value");
        await CreateCodeBuildRoleAsync("role-rule-build");
        (await cairn.Aws("iam", "put-role-policy", "--role-name", "role-rule-build", "--policy-name", "read", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameter","ssm:GetParameters","kms:Decrypt"],"Resource":"*"}]}""")).Ok();
        _workspace.Write("buildspec.yml", "version: 0.2\nenv:\n  parameter-store:\n    TOKEN: /role-rule/token\nphases:\n  build:\n    commands:\n      - test \"$TOKEN\" = role-rule-value && echo \"token $TOKEN\"\n");

        var overData = await _workspace.BuildAsync("--role", "role-rule-build");
        var overEndpoint = await _workspace.BuildWithAsync(cairn.Credentials(), "--endpoint-url", cairn.Endpoint, "--role", "role-rule-build");
        var overAlias = await _workspace.BuildWithAsync(cairn.Credentials(), "--endpoint", cairn.Endpoint, "--role", "role-rule-build");

        foreach (var result in new[] { overData, overEndpoint, overAlias })
        {
            Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
            Assert.Contains("token ***\n", result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Over_endpoint_url_a_caller_without_iam_PassRole_on_the_role_is_told_so()
    {
        await CreateCodeBuildRoleAsync("pass-role-build");
        (await cairn.Aws("iam", "create-user", "--user-name", "no-pass-role")).Ok();
        (await cairn.Aws("iam", "put-user-policy", "--user-name", "no-pass-role", "--policy-name", "ssm", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:*","sts:GetCallerIdentity"],"Resource":"*"}]}""")).Ok();
        var key = (await cairn.Aws("iam", "create-access-key", "--user-name", "no-pass-role")).Ok()["AccessKey"]!;
        _workspace.Write("buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n");

        var result = await _workspace.BuildWithAsync(
            cairn.Credentials(key["AccessKeyId"]!.GetValue<string>(), key["SecretAccessKey"]!.GetValue<string>()),
            "--endpoint-url", cairn.Endpoint, "--role", "pass-role-build");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cannot give arn:aws:iam::000000000000:role/pass-role-build to the build: User: arn:aws:iam::000000000000:user/no-pass-role is not authorized to perform: iam:PassRole", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_aws_that_ignores_AWS_ENDPOINT_URL_and_goes_to_aws_gets_a_hint_after_it_fails()
    {
        // The real aws CLI without the endpoint, as a different aws would run: it tries https://sts.<region>.amazonaws.com.
        _workspace.Write("buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - env -u AWS_ENDPOINT_URL aws --region nowhere-cairn-1 sts get-caller-identity\n");

        var result = await _workspace.BuildAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.True(result.Stdout.Contains("Could not connect to the endpoint URL: \"https://sts.nowhere-cairn-1.amazonaws.com/\"", StringComparison.Ordinal), result.Stdout);
        Assert.Contains("https://sts.nowhere-cairn-1.amazonaws.com/ is AWS itself, not Cairn: this client ignores AWS_ENDPOINT_URL", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_stops_the_build_kills_its_process_tree_and_still_prints_the_table()
    {
        var pidFile = Path.Combine(_workspace.Source, "grandchild.pid");
        _workspace.Write("buildspec.yml", $"version: 0.2\nphases:\n  build:\n    commands:\n      - sh -c 'sleep 300 & echo $! > {pidFile}; wait'\n  post_build:\n    commands:\n      - echo never-post\n");
        using var build = _workspace.Start(new Dictionary<string, string>());
        var stdout = build.StandardOutput.ReadToEndAsync();
        var stderr = build.StandardError.ReadToEndAsync();
        Assert.True(await WaitAsync(() => File.Exists(pidFile) && new FileInfo(pidFile).Length > 0), "the build never started its command");
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", build.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await build.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        Assert.True(build.ExitCode == 130, output + await stderr);
        Assert.Matches(@"BUILD\s+STOPPED", output);
        Assert.Contains("Phase context status code: BUILD_STOPPED Message: Build was stopped.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("never-post\n", output, StringComparison.Ordinal);
        Assert.True(await WaitAsync(() => !IsAlive(grandchild)), $"sleep {grandchild} survived Ctrl-C");

        // The stored build ended STOPPED too, as BatchGetBuilds shows it.
        var id = Regex.Match(output, @"Build (?<id>\S+) STOPPED").Groups["id"].Value;
        var stored = await cairn.WaitForBuildAsync(id);
        Assert.Equal("STOPPED", stored["buildStatus"]!.GetValue<string>());
        Assert.Contains(stored["phases"]!.AsArray(), p => p!["phaseType"]!.GetValue<string>() == "BUILD" && p["phaseStatus"]!.GetValue<string>() == "STOPPED");
    }

    [Fact]
    public async Task Usage_errors_exit_2()
    {
        var result = await _workspace.BuildAsync("--buildspec", "does-not-exist.yml");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("cairn build: cannot read", result.Stderr, StringComparison.Ordinal);
    }

    private static async Task<bool> WaitAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            if (condition())
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Running, not a zombie waiting to be reaped.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Runs the `aws ... iam put-role-policy ...` line the build printed, against the fixture's endpoint.</summary>
    private async Task ApplyPrintedFixAsync(string output)
    {
        var match = PutRolePolicy().Match(output);
        Assert.True(match.Success, output);
        (await cairn.Aws("iam", "put-role-policy", "--role-name", match.Groups["role"].Value, "--policy-name", match.Groups["name"].Value,
            "--policy-document", match.Groups["document"].Value)).Ok();
        Assert.NotNull(JsonNode.Parse(match.Groups["document"].Value));
    }

    [GeneratedRegex(@"aws --endpoint-url http://127\.0\.0\.1:4566 iam put-role-policy --role-name (?<role>\S+) --policy-name (?<name>\S+) --policy-document '(?<document>[^']+)'")]
    private static partial Regex PutRolePolicy();
}
