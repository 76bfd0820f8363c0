using Cairn.Core.Buildspec;
using static Cairn.Core.Buildspec.BuildspecDiagnosticCodes;

namespace Cairn.Core.Tests.Buildspec;

public sealed class BuildspecLinterTests
{
    public sealed record LintCase(string Name, string Yaml, params string[] Codes)
    {
        public override string ToString() => Name;
    }

    private const string Head = "version: 0.2\n";

    public static TheoryData<LintCase> Cases => new()
    {
        new("clean buildspec", Head + "phases:\n  build:\n    commands:\n      - make\n"),
        new("top-level environment", Head + "environment:\n  variables:\n    A: b\n", UnknownKey),
        new("misspelt phase key", Head + "phases:\n  build:\n    command:\n      - make\n", UnknownKey),
        new("misspelt env key", Head + "env:\n  parameters-store:\n    A: /a\n", UnknownKey),
        new("runtime-versions outside install", Head + "phases:\n  build:\n    runtime-versions:\n      python: 3.12\n", UnknownKey),
        new("misspelt artifacts key", Head + "artifacts:\n  file:\n    - '**/*'\n", MissingRequiredKey, UnknownKey),
        new("command read as a mapping", Head + "phases:\n  build:\n    commands:\n      - echo a: b\n", CommandIsMapping),
        new("variable read as a mapping", Head + "env:\n  variables:\n    A:\n      b: c\n", TypeMismatch),
        new("multi-line command", Head + "phases:\n  build:\n    commands:\n      - |\n        make\n        make test\n", MultiLineCommandHidesFailures),
        new("multi-line command with set -e", Head + "phases:\n  build:\n    commands:\n      - |\n        set -e\n        make\n        make test\n"),
        new("multi-line command with set -euo pipefail", Head + "phases:\n  build:\n    commands:\n      - |\n        set -euo pipefail\n        make\n        make test\n"),
        new("multi-line command that is one statement", Head + "phases:\n  build:\n    commands:\n      - |\n        if [ -f Makefile ]; then\n          make\n        fi\n"),
        new("multi-line command chained with &&", Head + "phases:\n  build:\n    commands:\n      - |\n        make &&\n        make test\n"),
        new("multi-line command continued with backslashes", Head + "phases:\n  build:\n    commands:\n      - |\n        docker build \\\n          -t app .\n"),
        new("multi-line command with a here-document", Head + "phases:\n  build:\n    commands:\n      - |\n        cat > config <<EOF\n        a=1\n        b=2\n        EOF\n"),
        new("multi-line command with comments", Head + "phases:\n  build:\n    commands:\n      - |\n        # build it\n        make\n"),
        new("two statements inside an if", Head + "phases:\n  build:\n    commands:\n      - |\n        if true; then\n          make\n          make test\n        fi\n", MultiLineCommandHidesFailures),
        new("docker push in post_build", Head + "phases:\n  pre_build:\n    commands: [docker login -u u -p p]\n  post_build:\n    commands:\n      - docker push app\n", UnguardedDockerPush),
        new("docker push in post_build guarded in the command", Head + "phases:\n  pre_build:\n    commands: [docker login -u u -p p]\n  post_build:\n    commands:\n      - if [ \"$CODEBUILD_BUILD_SUCCEEDING\" = 1 ]; then docker push app; fi\n"),
        new("docker push in post_build guarded by an earlier command", Head + "phases:\n  pre_build:\n    commands: [docker login -u u -p p]\n  post_build:\n    commands:\n      - test \"$CODEBUILD_BUILD_SUCCEEDING\" = 1\n      - docker push app\n"),
        new("docker image push in post_build", Head + "phases:\n  pre_build:\n    commands: [docker login -u u -p p]\n  post_build:\n    commands:\n      - docker image push app\n", UnguardedDockerPush),
        new("docker push in build", Head + "phases:\n  pre_build:\n    commands: [docker login -u u -p p]\n  build:\n    commands:\n      - docker push app\n"),
        new("docker push without login", Head + "phases:\n  build:\n    commands:\n      - docker push a\n      - docker push b\n", DockerPushWithoutLogin),
        new("docker login only after the push", Head + "phases:\n  build:\n    commands:\n      - docker push a\n      - docker login -u u -p p\n", DockerPushWithoutLogin),
        new("ECR login", Head + "phases:\n  pre_build:\n    commands:\n      - aws ecr get-login-password | docker login --username AWS --password-stdin 1.dkr.ecr.us-east-1.amazonaws.com\n  build:\n    commands:\n      - docker push a\n"),
        new("resolve reference in variables", Head + "env:\n  variables:\n    A: \"{{resolve:ssm:/a}}\"\n", DynamicReferenceNotPortable),
        new("resolve reference in a command", Head + "phases:\n  build:\n    commands:\n      - echo {{resolve:ssm:/a}}\n", DynamicReferenceNotPortable),
        new("malformed resolve reference", Head + "env:\n  variables:\n    A: \"{{resolve:ssm:}}\"\n", MalformedDynamicReference),
        new("secretsmanager resolve reference", Head + "env:\n  variables:\n    A: \"{{resolve:secretsmanager:app:SecretString:password}}\"\n", SecretsManagerNotSupported),
        new("reserved prefix", Head + "env:\n  variables:\n    CODEBUILD_MODE: fast\n", ReservedVariablePrefix),
        new("reserved prefix in parameter-store", Head + "env:\n  parameter-store:\n    CODEBUILD_TOKEN: /t\n", ReservedVariablePrefix),
        new("secrets-manager", Head + "env:\n  secrets-manager:\n    TOKEN: app:token\n"),
        new("empty parameter name", Head + "env:\n  parameter-store:\n    TOKEN:\n", InvalidValue),
        new("version 0.1", "version: 0.1\nphases:\n  build:\n    commands: [make]\n", LegacyVersion),
        new("version 0.1 environment_variables", "version: 0.1\nenvironment_variables:\n  plaintext:\n    A: b\n", LegacyVersion),
        new("artifacts without files", Head + "artifacts:\n  name: app\n", MissingRequiredKey),
        new("artifacts with only secondary artifacts", Head + "artifacts:\n  secondary-artifacts:\n    docs:\n      files: [a]\n"),
        new("secondary artifact without files", Head + "artifacts:\n  secondary-artifacts:\n    docs:\n      name: d\n", MissingRequiredKey),
        new("report without files", Head + "reports:\n  tests:\n    file-format: JUNITXML\n", MissingRequiredKey),
        new("cache without paths", Head + "cache:\n  key: k\n", MissingRequiredKey),
        new("batch build without identifier", Head + "batch:\n  build-list:\n    - buildspec: a.yml\n", MissingRequiredKey),
        new("yes/no value that is neither", Head + "artifacts:\n  files: [a]\n  discard-paths: maybe\n", InvalidValue),
        new("unknown report format", Head + "reports:\n  tests:\n    files: [a]\n    file-format: JUNIT\n", InvalidValue),
        new("unknown cache action", Head + "cache:\n  paths: [a]\n  action: load\n", InvalidValue),
        new("too many fallback keys", Head + "cache:\n  paths: [a]\n  fallback-keys: [a, b, c, d, e, f]\n", InvalidValue),
        new("windows shell", Head + "env:\n  shell: powershell.exe\n", InvalidValue),
        new("files as a single string", Head + "artifacts:\n  files: '**/*'\n", InvalidValue),
        new("plaintext password", Head + "env:\n  variables:\n    DOCKER_PASSWORD: hunter2\n", PlaintextSecret),
        new("password from another variable", Head + "env:\n  variables:\n    DOCKER_PASSWORD: $OTHER\n"),
        new("exported parameter-store variable", Head + "env:\n  parameter-store:\n    TOKEN: /t\n  exported-variables:\n    - TOKEN\n", NotExportable),
        new("exported AWS variable", Head + "env:\n  exported-variables:\n    - AWS_REGION\n", NotExportable),
        new("artifacts type", Head + "artifacts:\n  type: zip\n  files: [a]\n", DeprecatedKey),
        new("yaml syntax error", Head + "phases:\n\tbuild:\n", YamlSyntax),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lint_finds_exactly_the_expected_problems(LintCase lintCase)
    {
        var result = BuildspecLinter.Lint(lintCase.Yaml);

        Assert.Equal(lintCase.Codes, result.Diagnostics.Select(d => d.Code));
        Assert.All(result.Diagnostics, d => Assert.False(string.IsNullOrWhiteSpace(d.Hint)));
        Assert.All(result.Diagnostics, d => Assert.True(d.Location.Line >= 1 && d.Location.Column >= 1));
    }

    [Fact]
    public void Top_level_environment_is_pointed_to_env()
    {
        var diagnostic = Assert.Single(BuildspecLinter.Lint(Head + "environment:\n  variables:\n    A: b\n").Diagnostics);

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(new SourceLocation(2, 1), diagnostic.Location);
        Assert.Contains("'environment'", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("rename 'environment:' to 'env:'", diagnostic.Hint, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Misspellings => new()
    {
        { "phases:\n  build:\n    comands: [make]\n", "comands", "did you mean 'commands'?" },
        { "phases:\n  build:\n    Commands: [make]\n", "Commands", "did you mean 'commands'?" },
        { "phases:\n  build:\n    on_failure: ABORT\n", "on_failure", "did you mean 'on-failure'?" },
        { "phases:\n  install:\n    runtime_versions:\n      python: 3.12\n", "runtime_versions", "did you mean 'runtime-versions'?" },
        { "env:\n  parameter_store:\n    A: /a\n", "parameter_store", "did you mean 'parameter-store'?" },
        { "env:\n  plaintext:\n    A: b\n", "plaintext", "did you mean 'variables'?" },
        { "env:\n  exported_variables: [A]\n", "exported_variables", "did you mean 'exported-variables'?" },
        { "artifact:\n  files: [a]\n", "artifact", "did you mean 'artifacts'?" },
        { "phase:\n  build:\n    commands: [make]\n", "phase", "did you mean 'phases'?" },
        { "enviroment:\n  variables:\n    A: b\n", "enviroment", "did you mean 'env'?" },
        { "cache:\n  path: [a]\n", "path", "did you mean 'paths'?" },
        { "runas: builder\n", "runas", "did you mean 'run-as'?" },
        { "environment_variables:\n  plaintext:\n    A: b\n", "environment_variables", "environment_variables is version 0.1 syntax; in 0.2 write 'env:' (and 'variables:' for 'plaintext:')." },
    };

    [Theory]
    [MemberData(nameof(Misspellings))]
    public void Unknown_keys_suggest_the_key_that_was_meant(string yaml, string key, string hint)
    {
        var diagnostic = BuildspecLinter.Lint(Head + yaml).Diagnostics.First(d => d.Code == UnknownKey);

        Assert.Contains($"'{key}'", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(hint, diagnostic.Hint);
    }

    [Fact]
    public void Unknown_key_with_nothing_close_lists_the_allowed_keys()
    {
        var diagnostic = Assert.Single(BuildspecLinter.Lint(Head + "proxy:\n  zzzzzz: yes\n").Diagnostics);

        Assert.Equal("the keys allowed here are: upload-artifacts, logs.", diagnostic.Hint);
    }

    [Fact]
    public void Resolve_reference_warning_points_at_the_reference_and_suggests_parameter_store()
    {
        var diagnostic = Assert.Single(BuildspecLinter.Lint(Head + "env:\n  variables:\n    URL: \"https://{{resolve:ssm:/app/host}}\"\n").Diagnostics);

        Assert.Equal(new SourceLocation(4, 19), diagnostic.Location);
        Assert.Contains("AWS CodeBuild passes it through literally", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal("to run the same buildspec on AWS, move it to env.parameter-store: 'NAME: /app/host'.", diagnostic.Hint);
    }

    [Fact]
    public void Multi_line_warning_names_the_line_whose_failure_is_hidden()
    {
        var diagnostic = Assert.Single(BuildspecLinter.Lint(Head + "phases:\n  build:\n    commands:\n      - |\n        pip install -r requirements.txt\n        pytest\n").Diagnostics);

        Assert.Equal(new SourceLocation(5, 9), diagnostic.Location);
        Assert.Contains("'pip install -r requirements.txt'", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("set -e", diagnostic.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Post_build_push_warning_explains_the_guard()
    {
        var diagnostic = BuildspecLinter.Lint(Head + "phases:\n  post_build:\n    commands:\n      - docker push app\n").Diagnostics.Single(d => d.Code == UnguardedDockerPush);

        Assert.Equal(new SourceLocation(5, 9), diagnostic.Location);
        Assert.Contains("CODEBUILD_BUILD_SUCCEEDING=0", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("test \"$CODEBUILD_BUILD_SUCCEEDING\" = 1", diagnostic.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_result_keeps_the_document_when_CodeBuild_can_parse_it()
    {
        Assert.NotNull(BuildspecLinter.Lint(Head + "environment: {}\n").Document);
        Assert.Null(BuildspecLinter.Lint(Head + "phases:\n  deploy:\n    commands: [x]\n").Document);
    }

    [Fact]
    public void Errors_and_warnings_are_counted()
    {
        var result = BuildspecLinter.Lint(Head + "environment: {}\nphases:\n  build:\n    commands:\n      - |\n        a\n        b\n");

        Assert.True(result.HasErrors);
        Assert.Equal((1, 1), (result.ErrorCount, result.WarningCount));
        Assert.False(BuildspecLinter.Lint(Head + "phases:\n  build:\n    commands:\n      - |\n        a\n        b\n").HasErrors);
    }
}
