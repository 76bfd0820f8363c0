using Cairn.Core.Builds;
using Cairn.Runner.Builds;
using Cairn.Runner.Phases;

namespace Cairn.Runner.Tests.Builds;

/// <summary>A build lints its buildspec first and prints the findings in DOWNLOAD_SOURCE, before any command runs.</summary>
public sealed class BuildLintTests : IDisposable
{
    // Seed 000's first buildspec, as the user wrote it: the variables sit under a top-level environment: key.
    private const string EnvironmentSeed = """
        version: 0.2
        phases:
          install:
            commands:
              - echo Installing dependencies
          build:
            commands:
              - echo Building Docker image
              - docker build -t $DOCKER_REGISTRY_URL/$DOCKER_USERNAME/$APPLICATION_NAME .
              - docker push $DOCKER_REGISTRY_URL/$DOCKER_USERNAME/$APPLICATION_NAME
        environment:
          variables:
            DOCKER_REGISTRY_URL: "{{resolve:ssm:/my_app_Docker_registry_URL}}"
            DOCKER_USERNAME: "{{resolve:ssm:/my_app_Docker_credentials_username}}"
            DOCKER_PASSWORD: "{{resolve:ssm:/my_app_Docker_credentials_password}}"
        """;

    // Seed 001's buildspec with the story's path typo.
    private const string ParameterStoreSeed = """
        version: 0.2

        env:
          parameter-store:
            DOCKER_REGISTRY_USERNAME: "my_app_Docker_credentials_username"
            DOCKER_REGISTRY_PASSWORD: "my_app_Docker_credentials_password"
            DOCKER_REGISTRY_URL: "my_app_Docker_registry_URL"

        phases:
          install:
            commands:
              - cd day14/sample_python_app
              - pip install -r requirements.txt
          build:
            commands:
              - docker build -t ${DOCKER_REGISTRY_URL}/${DOCKER_REGISTRY_USERNAME}/sample_python_flask_app:latest .
              - docker push ${DOCKER_REGISTRY_URL}/${DOCKER_REGISTRY_USERNAME}/sample_python_flask_app:latest
        """;

    private readonly BuildHarness _harness = new();

    public BuildLintTests()
    {
        _harness.Write("buildspec.yml", "");
        _harness.Write("day14/simple_python_app/requirements.txt", "flask\n");
        // A docker that only says what it was asked: these tests are about the log, not about Docker.
        _harness.Write("bin/docker", "#!/bin/sh\necho \"docker $*\"\n");
        File.SetUnixFileMode(Path.Combine(_harness.Source, "bin", "docker"), (UnixFileMode)0b111_101_101);
    }

    public void Dispose() => _harness.Dispose();

    private Task<(BuildResult Result, string Log)> RunAsync(string yaml) => _harness.RunAsync(yaml, request => request with
    {
        BuildspecPath = Path.Combine(_harness.Source, "buildspec.yml"),
        SystemVariables = new Dictionary<string, string> { ["PATH"] = $"{Path.Combine(_harness.Source, "bin")}:{Environment.GetEnvironmentVariable("PATH")}" },
    });

    private static string DownloadSource(string log) =>
        log[log.IndexOf("Phase is DOWNLOAD_SOURCE", StringComparison.Ordinal)..log.IndexOf("Phase complete: DOWNLOAD_SOURCE", StringComparison.Ordinal)];

    [Fact]
    public async Task The_environment_seed_build_says_in_download_source_that_environment_is_ignored_and_which_variables_are_empty()
    {
        var (result, log) = await RunAsync(EnvironmentSeed);

        var download = DownloadSource(log);
        Assert.Contains("[WARN] The buildspec has 1 error and 7 warnings (`cairn lint buildspec.yml` shows the same); CodeBuild runs it anyway:", download, StringComparison.Ordinal);
        Assert.Contains("[WARN] buildspec.yml:11:1: error BS101: unknown top-level key 'environment'", download, StringComparison.Ordinal);
        Assert.Contains("[WARN] buildspec.yml:9:9: warning BS117: $APPLICATION_NAME is never defined, so the command sees it empty", download, StringComparison.Ordinal);
        Assert.Contains("[WARN]   hint: DOCKER_REGISTRY_URL is set under 'environment:', which CodeBuild ignores", download, StringComparison.Ordinal);
        // CodeBuild ignores the key and runs the commands with the variables empty, and so does Cairn.
        Assert.Contains("docker build -t // .", log, StringComparison.Ordinal);
        Assert.Equal(BuildStatuses.Succeeded, result.Status);
    }

    [Fact]
    public async Task The_parameter_store_seed_build_warns_about_the_path_typo_before_the_install_phase_fails_on_it()
    {
        _harness.Secrets.Add("my_app_Docker_credentials_username", "ci", "String")
            .Add("my_app_Docker_credentials_password", "the password")
            .Add("my_app_Docker_registry_URL", "127.0.0.1:5000", "String");

        var (result, log) = await RunAsync(ParameterStoreSeed);

        var download = DownloadSource(log);
        Assert.Contains("warning BS113: cd day14/sample_python_app: day14 has no directory 'sample_python_app'", download, StringComparison.Ordinal);
        Assert.Contains("[WARN]   hint: did you mean 'cd day14/simple_python_app'?", download, StringComparison.Ordinal);
        Assert.Contains("warning BS104: docker push with no docker login before it", download, StringComparison.Ordinal);
        Assert.DoesNotContain("BS117", download, StringComparison.Ordinal);
        Assert.Equal(BuildStatuses.Failed, result.Status);
        Assert.Equal(BuildStatuses.Failed, result.Phases.Single(p => p.PhaseType == BuildPhaseTypes.Install).PhaseStatus);
    }

    [Fact]
    public async Task A_command_that_fails_on_a_missing_path_without_naming_it_gets_the_linters_hint()
    {
        _harness.Write("bin/pip", "#!/bin/sh\necho 'pip: something went wrong' >&2\nexit 1\n");
        File.SetUnixFileMode(Path.Combine(_harness.Source, "bin", "pip"), (UnixFileMode)0b111_101_101);

        var (result, log) = await RunAsync("version: 0.2\nphases:\n  install:\n    commands:\n      - pip install -r day14/sample-python-app/requirements.txt\n");

        Assert.Equal(BuildStatuses.Failed, result.Status);
        Assert.Contains("Hint: pip install -r day14/sample-python-app/requirements.txt: day14 has no directory 'sample-python-app', so the command fails; "
            + "did you mean 'day14/simple_python_app/requirements.txt'?", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_that_fails_with_undefined_variables_gets_them_named_in_its_hint()
    {
        _harness.Write("bin/docker", "#!/bin/sh\necho 'invalid argument \"//\" for \"-t, --tag\" flag: invalid reference format' >&2\nexit 125\n");

        var (result, log) = await RunAsync(EnvironmentSeed);

        Assert.Equal(BuildStatuses.Failed, result.Status);
        Assert.Contains("Hint: $DOCKER_REGISTRY_URL, $DOCKER_USERNAME, $APPLICATION_NAME are never defined, so the command saw them empty (see the [WARN] lines in DOWNLOAD_SOURCE)",
            log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_phase_typo_is_named_in_the_log_with_did_you_mean()
    {
        var (_, log) = await RunAsync("version: 0.2\nphase:\n  build:\n    commands:\n      - echo hi\n");

        var download = DownloadSource(log);
        Assert.Contains("error BS101: unknown top-level key 'phase'", download, StringComparison.Ordinal);
        Assert.Contains("phases", download[download.IndexOf("BS101", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("Phases found in YAML: 0", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_codebuild_rejects_still_fails_download_source_with_yaml_file_error()
    {
        var (result, log) = await RunAsync("version: 0.2\nphases:\n  compile:\n    commands:\n      - echo hi\n");

        var download = result.Phases.Single(p => p.PhaseType == BuildPhaseTypes.DownloadSource);
        Assert.Equal(BuildStatuses.Failed, download.PhaseStatus);
        Assert.Equal("YAML_FILE_ERROR", download.Contexts![0].StatusCode);
        Assert.DoesNotContain("Entering phase", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clean_buildspec_adds_no_lint_lines()
    {
        var (_, log) = await RunAsync("version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n");

        Assert.DoesNotContain("[WARN]", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Project_variables_are_not_reported_as_undefined()
    {
        var (_, log) = await _harness.RunAsync("version: 0.2\nphases:\n  build:\n    commands:\n      - echo $FROM_PROJECT\n",
            request => request with { ProjectVariables = [new EnvironmentVariable("FROM_PROJECT", "x")] });

        Assert.DoesNotContain("BS117", log, StringComparison.Ordinal);
    }
}
