using Cairn.Core.Buildspec;

namespace Cairn.Core.Tests.Buildspec;

public sealed class BuildspecParserTests
{
    private static BuildspecDocument Parse(string yaml)
    {
        var result = BuildspecParser.Parse(yaml);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => $"{e.Location}: {e.Message}")));
        return result.Document!;
    }

    [Fact]
    public void Version_0_2_shares_one_shell()
    {
        var document = Parse("version: 0.2\n");
        Assert.Equal(BuildspecVersion.V0_2, document.Version);
        Assert.True(document.SharesOneShell);
    }

    [Fact]
    public void Version_0_1_is_accepted_with_a_shell_per_command()
    {
        var document = Parse("version: 0.1\nphases:\n  build:\n    commands:\n      - cd src\n      - make\n");
        Assert.Equal(BuildspecVersion.V0_1, document.Version);
        Assert.False(document.SharesOneShell);
        Assert.Equal(["cd src", "make"], document.GetPhase(BuildspecPhaseName.Build)!.Commands.Select(c => c.Text));
    }

    [Fact]
    public void Quoted_version_is_the_same_version()
    {
        Assert.Equal(BuildspecVersion.V0_2, Parse("version: \"0.2\"\n").Version);
    }

    [Fact]
    public void Version_0_1_reads_environment_variables_plaintext()
    {
        var document = Parse("version: 0.1\nenvironment_variables:\n  plaintext:\n    JAVA_HOME: /usr/lib/jvm\n");
        var variable = Assert.Single(document.Env.Variables);
        Assert.Equal(("JAVA_HOME", "/usr/lib/jvm"), (variable.Name, variable.Value));
    }

    [Fact]
    public void Top_level_run_as_is_read_and_a_phase_run_as_overrides_it()
    {
        var document = Parse("version: 0.2\nrun-as: builder\nphases:\n  install:\n    run-as: root\n    commands: [whoami]\n  build:\n    commands: [whoami]\n");
        Assert.Equal("builder", document.RunAs);
        Assert.Equal("root", document.RunAsFor(document.GetPhase(BuildspecPhaseName.Install)!));
        Assert.Equal("builder", document.RunAsFor(document.GetPhase(BuildspecPhaseName.Build)!));
    }

    [Fact]
    public void Env_reads_every_key()
    {
        var document = Parse("""
            version: 0.2
            env:
              shell: bash
              variables:
                JAVA_HOME: "/usr/lib/jvm/java-8-openjdk-amd64"
                PATH_EXTRA: $PATH:/x
              parameter-store:
                LOGIN_PASSWORD: /CodeBuild/dockerLoginPassword
              secrets-manager:
                TOKEN: prod/app:token:AWSCURRENT
              exported-variables:
                - JAVA_HOME
                - IMAGE_TAG
              git-credential-helper: yes
            """);
        var env = document.Env;
        Assert.Equal("bash", env.Shell);
        Assert.Equal(["JAVA_HOME", "PATH_EXTRA"], env.Variables.Select(v => v.Name));
        Assert.Equal("$PATH:/x", env.Variables[1].Value);
        var parameter = Assert.Single(env.ParameterStore);
        Assert.Equal(("LOGIN_PASSWORD", "/CodeBuild/dockerLoginPassword"), (parameter.Name, parameter.ParameterName));
        var secret = Assert.Single(env.SecretsManager);
        Assert.Equal(("prod/app", "token", "AWSCURRENT", (string?)null), (secret.SecretId, secret.JsonKey, secret.VersionStage, secret.VersionId));
        Assert.Equal(["JAVA_HOME", "IMAGE_TAG"], env.ExportedVariables.Select(v => v.Value));
        Assert.True(env.GitCredentialHelper);
    }

    public static TheoryData<string, string> ScalarVariableValues => new()
    {
        { "PORT: 8080", "8080" },
        { "OCTAL: 010", "010" },
        { "RATIO: 1.50", "1.50" },
        { "ENABLED: true", "true" },
        { "LEGACY_BOOL: yes", "yes" },
        { "EMPTY:", "" },
        { "TILDE: ~", "" },
        { "QUOTED_NULL: \"null\"", "null" },
        { "WITH_HASH: 'a # b'", "a # b" },
    };

    [Theory]
    [MemberData(nameof(ScalarVariableValues))]
    public void Variable_values_are_kept_as_written_the_way_CodeBuild_reads_them(string entry, string expected)
    {
        var document = Parse($"version: 0.2\nenv:\n  variables:\n    {entry}\n");
        Assert.Equal(expected, Assert.Single(document.Env.Variables).Value);
    }

    [Fact]
    public void Secrets_manager_reference_with_an_arn_keeps_the_arn_whole()
    {
        var document = Parse("version: 0.2\nenv:\n  secrets-manager:\n    KEY: arn:aws:secretsmanager:us-east-1:123456789012:secret:app-AbCdEf:password::v1\n");
        var secret = Assert.Single(document.Env.SecretsManager);
        Assert.Equal("arn:aws:secretsmanager:us-east-1:123456789012:secret:app-AbCdEf", secret.SecretId);
        Assert.Equal("password", secret.JsonKey);
        Assert.Null(secret.VersionStage);
        Assert.Equal("v1", secret.VersionId);
    }

    [Fact]
    public void Resolve_references_in_variables_are_parsed_for_the_runner()
    {
        var document = Parse("""
            version: 0.2
            env:
              variables:
                URL: "{{resolve:ssm:/my_app_Docker_registry_URL}}"
                PASSWORD: "{{resolve:ssm-secure:my-app-password:3}}"
                MIXED: "https://{{resolve:ssm:host}}:{{resolve:ssm:port:2}}/v2"
                PLAIN: no-reference
            """);
        var variables = document.Env.Variables;
        var url = Assert.Single(variables[0].References);
        Assert.Equal((DynamicReferenceKind.Ssm, "/my_app_Docker_registry_URL", (long?)null, false), (url.Kind, url.Name, url.Version, url.IsSecret));
        var password = Assert.Single(variables[1].References);
        Assert.Equal((DynamicReferenceKind.SsmSecure, "my-app-password", (long?)3, true), (password.Kind, password.Name, password.Version, password.IsSecret));
        Assert.Equal("my-app-password:3", password.Selector);
        Assert.Equal(["host", "port"], variables[2].References.Select(r => r.Name));
        Assert.Equal("https://HOST:PORT/v2", variables[2].Resolve(r => r.Name.ToUpperInvariant()));
        Assert.Empty(variables[3].References);
    }

    [Fact]
    public void Proxy_reads_yes_and_no()
    {
        var document = Parse("version: 0.2\nproxy:\n  upload-artifacts: yes\n  logs: no\n");
        Assert.Equal((true, false), (document.Proxy!.UploadArtifacts, document.Proxy.Logs));
    }

    [Fact]
    public void Phases_come_out_in_run_order_whatever_the_source_order()
    {
        var document = Parse("version: 0.2\nphases:\n  post_build:\n    commands: [c]\n  build:\n    commands: [b]\n  install:\n    commands: [i]\n  pre_build:\n    commands: [p]\n");
        Assert.Equal([BuildspecPhaseName.Install, BuildspecPhaseName.PreBuild, BuildspecPhaseName.Build, BuildspecPhaseName.PostBuild], document.Phases.Select(p => p.Name));
        Assert.Equal(["INSTALL", "PRE_BUILD", "BUILD", "POST_BUILD"], document.Phases.Select(p => p.PhaseType));
    }

    [Fact]
    public void Install_reads_runtime_versions_commands_and_finally()
    {
        var document = Parse("""
            version: 0.2
            phases:
              install:
                runtime-versions:
                  python: 3.10
                  nodejs: 18
                commands:
                  - pip install -r requirements.txt
                finally:
                  - echo done
            """);
        var install = document.GetPhase(BuildspecPhaseName.Install)!;
        Assert.Equal([new("python", "3.10"), new KeyValuePair<string, string>("nodejs", "18")], install.RuntimeVersions);
        Assert.Equal("pip install -r requirements.txt", Assert.Single(install.Commands).Text);
        Assert.Equal("echo done", Assert.Single(install.Finally).Text);
    }

    [Fact]
    public void Commands_keep_their_source_line_and_column()
    {
        var document = Parse("version: 0.2\nphases:\n  build:\n    commands:\n      - echo one\n      -   echo two\n      - |\n        echo three\n        echo four\n");
        var commands = document.GetPhase(BuildspecPhaseName.Build)!.Commands;
        Assert.Equal([new SourceLocation(5, 9), new SourceLocation(6, 11), new SourceLocation(7, 9)], commands.Select(c => c.Location));
        Assert.Equal("echo three\necho four\n", commands[2].Text);
        Assert.True(commands[2].IsBlock);
        Assert.False(commands[0].IsBlock);
    }

    [Fact]
    public void Numbers_as_commands_become_strings_and_empty_items_are_dropped()
    {
        var document = Parse("version: 0.2\nphases:\n  build:\n    commands:\n      - 42\n      -\n      - true\n");
        Assert.Equal(["42", "true"], document.GetPhase(BuildspecPhaseName.Build)!.Commands.Select(c => c.Text));
    }

    public static TheoryData<string, OnFailureAction, int?, string?> OnFailureValues => new()
    {
        { "ABORT", OnFailureAction.Abort, null, null },
        { "CONTINUE", OnFailureAction.Continue, null, null },
        { "RETRY", OnFailureAction.Retry, null, null },
        { "RETRY-5", OnFailureAction.Retry, 5, null },
        { "RETRY-Connection.*reset", OnFailureAction.Retry, null, "Connection.*reset" },
        { "RETRY-2-^Error: .*$", OnFailureAction.Retry, 2, "^Error: .*$" },
        { "RETRY-3-a-b", OnFailureAction.Retry, 3, "a-b" },
    };

    [Theory]
    [MemberData(nameof(OnFailureValues))]
    public void On_failure_is_parsed_into_action_count_and_regex(string text, OnFailureAction action, int? count, string? regex)
    {
        var document = Parse($"version: 0.2\nphases:\n  build:\n    on-failure: \"{text}\"\n    commands: [make]\n");
        var policy = document.GetPhase(BuildspecPhaseName.Build)!.OnFailure!;
        Assert.Equal((action, count, regex), (policy.Action, policy.RetryCount, policy.RetryPattern));
        Assert.Equal(new SourceLocation(4, 17), policy.Location);
    }

    [Fact]
    public void Retry_without_a_count_retries_the_default_number_of_times()
    {
        var policy = OnFailurePolicy.TryParse("RETRY", default)!;
        Assert.Equal(OnFailurePolicy.DefaultRetryCount, policy.EffectiveRetryCount);
        Assert.Null(policy.RetryRegex);
        Assert.Matches(OnFailurePolicy.TryParse("RETRY-x+y", default)!.RetryRegex!, "xxy");
    }

    [Fact]
    public void Reports_read_every_key()
    {
        var document = Parse("""
            version: 0.2
            reports:
              unit-tests:
                files:
                  - "**/*.xml"
                base-directory: target/surefire-reports
                discard-paths: yes
                file-format: junitxml
              arn:aws:codebuild:us-east-1:123456789012:report-group/coverage:
                files: [coverage.xml]
                file-format: COBERTURAXML
            """);
        Assert.Equal(2, document.Reports.Count);
        var unit = document.Reports[0];
        Assert.Equal(("unit-tests", "target/surefire-reports", true, "JUNITXML"), (unit.Name, unit.BaseDirectory, unit.DiscardPaths, unit.FileFormat));
        Assert.Equal(["**/*.xml"], unit.Files);
        Assert.Equal("COBERTURAXML", document.Reports[1].EffectiveFileFormat);
        Assert.Equal("arn:aws:codebuild:us-east-1:123456789012:report-group/coverage", document.Reports[1].Name);
    }

    [Fact]
    public void Artifacts_read_every_key_including_secondary_artifacts()
    {
        var document = Parse("""
            version: 0.2
            artifacts:
              files:
                - '**/*'
              name: app-$(date +%Y-%m-%d)
              discard-paths: no
              base-directory: dist
              exclude-paths:
                - '**/*.map'
              enable-symlinks: yes
              s3-prefix: builds
              secondary-artifacts:
                docs:
                  files: [index.html]
                  base-directory: site
                  name: docs
            """);
        var artifacts = document.Artifacts!;
        Assert.Null(artifacts.Identifier);
        Assert.Equal(["**/*"], artifacts.Files);
        Assert.Equal(("app-$(date +%Y-%m-%d)", false, "dist", true, "builds"), (artifacts.Name, artifacts.DiscardPaths, artifacts.BaseDirectory, artifacts.EnableSymlinks, artifacts.S3Prefix));
        Assert.Equal(["**/*.map"], artifacts.ExcludePaths);
        var docs = Assert.Single(artifacts.SecondaryArtifacts);
        Assert.Equal(("docs", "site", "docs"), (docs.Identifier, docs.BaseDirectory, docs.Name));
    }

    [Fact]
    public void Cache_reads_every_key()
    {
        var document = Parse("""
            version: 0.2
            cache:
              key: pip-$(codebuild-hash-files requirements.txt)
              fallback-keys:
                - pip-
              action: restore
              paths:
                - /root/.cache/pip/**/*
            """);
        var cache = document.Cache!;
        Assert.Equal("pip-$(codebuild-hash-files requirements.txt)", cache.Key);
        Assert.Equal(["pip-"], cache.FallbackKeys);
        Assert.Equal(["/root/.cache/pip/**/*"], cache.Paths);
        Assert.True(cache.Restores);
        Assert.False(cache.Saves);
    }

    [Fact]
    public void Batch_reads_build_list_graph_matrix_and_fast_fail()
    {
        var document = Parse("""
            version: 0.2
            batch:
              fast-fail: true
              build-list:
                - identifier: linux
                  env:
                    compute-type: BUILD_GENERAL1_SMALL
                    image: aws/codebuild/standard:7.0
                    privileged-mode: true
                    type: LINUX_CONTAINER
                    variables:
                      TARGET: linux
                  ignore-failure: false
              build-graph:
                - identifier: build1
                - identifier: build2
                  buildspec: build2.yml
                  depend-on:
                    - build1
                  debug-session: true
              build-matrix:
                static:
                  ignore-failure: true
                  env:
                    image: aws/codebuild/standard:7.0
                dynamic:
                  buildspec:
                    - a.yml
                    - b.yml
                  env:
                    compute-type: [BUILD_GENERAL1_SMALL]
                    image: [img1, img2]
                    variables:
                      MY_VAR: [x, y, z]
            """);
        var batch = document.Batch!;
        Assert.True(batch.FastFail);
        var linux = Assert.Single(batch.BuildList);
        Assert.Equal(("linux", "BUILD_GENERAL1_SMALL", true, "LINUX_CONTAINER"), (linux.Identifier, linux.Env!.ComputeType, linux.Env.PrivilegedMode, linux.Env.Type));
        Assert.Equal("linux", Assert.Single(linux.Env.Variables).Value);
        Assert.Equal(["build1"], batch.BuildGraph[1].DependOn);
        Assert.Equal(("build2.yml", true), (batch.BuildGraph[1].Buildspec, batch.BuildGraph[1].DebugSession));
        var matrix = batch.BuildMatrix!;
        Assert.True(matrix.StaticIgnoreFailure);
        Assert.Equal("aws/codebuild/standard:7.0", matrix.StaticEnv!.Image);
        Assert.Equal(["a.yml", "b.yml"], matrix.DynamicBuildspecs);
        Assert.Equal(["img1", "img2"], matrix.DynamicImages);
        Assert.Equal(["BUILD_GENERAL1_SMALL"], matrix.DynamicComputeTypes);
        Assert.Equal(["x", "y", "z"], Assert.Single(matrix.DynamicVariables).Value);
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_are_followed()
    {
        var document = Parse("""
            version: 0.2
            phases:
              install:
                commands: &setup
                  - echo setup
              build:
                <<: &defaults
                  on-failure: CONTINUE
                commands: *setup
            """);
        var build = document.GetPhase(BuildspecPhaseName.Build)!;
        Assert.Equal(OnFailureAction.Continue, build.OnFailure!.Action);
        Assert.Equal("echo setup", Assert.Single(build.Commands).Text);
    }

    [Fact]
    public void Unknown_keys_do_not_stop_parsing_because_CodeBuild_ignores_them()
    {
        var document = Parse("version: 0.2\nenvironment:\n  variables:\n    A: b\nphases:\n  build:\n    commands: [make]\n");
        Assert.Empty(document.Env.Variables);
        Assert.Single(document.Phases);
    }

    [Fact]
    public void Empty_sections_are_empty_not_errors()
    {
        var document = Parse("version: 0.2\nenv:\nphases:\n  build:\n    commands:\nartifacts:\n");
        Assert.Empty(document.Env.Variables);
        Assert.Empty(document.GetPhase(BuildspecPhaseName.Build)!.Commands);
        Assert.Null(document.Artifacts);
    }
}
