using Cairn.Core.Builds;
using Cairn.Runner.Builds;
using Cairn.Runner.Phases;

namespace Cairn.Runner.Tests.Builds;

/// <summary>String parameters are masked as CodeBuild masks them, said once in the log, and can be left readable.</summary>
public sealed class StringParameterMaskingTests : IDisposable
{
    private const string Password = "s3cret-Passw0rd";

    private const string Buildspec = """
        version: 0.2
        env:
          parameter-store:
            DOCKER_REGISTRY_URL: my_app_Docker_registry_URL
            DOCKER_REGISTRY_USERNAME: my_app_Docker_credentials_username
            DOCKER_REGISTRY_PASSWORD: my_app_Docker_credentials_password
        phases:
          build:
            commands:
              - echo "Successfully tagged $DOCKER_REGISTRY_URL/$DOCKER_REGISTRY_USERNAME/app:latest"
              - echo "password=$DOCKER_REGISTRY_PASSWORD"
        """;

    private readonly BuildHarness _harness = new();

    public StringParameterMaskingTests()
    {
        _harness.Secrets.Add("my_app_Docker_registry_URL", "registry.example.com:5000", "String")
            .Add("my_app_Docker_credentials_username", "ci-user", "String")
            .Add("my_app_Docker_credentials_password", Password);
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task By_default_string_parameters_are_masked_and_the_log_says_once_how_to_leave_them_readable()
    {
        var (result, log) = await _harness.RunAsync(Buildspec);

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        Assert.Contains("Successfully tagged ***/***/app:latest\n", log, StringComparison.Ordinal);
        var notice = "Masking the values of String parameters my_app_Docker_registry_URL (DOCKER_REGISTRY_URL), "
            + "my_app_Docker_credentials_username (DOCKER_REGISTRY_USERNAME) as CodeBuild does";
        Assert.Contains(notice, log, StringComparison.Ordinal);
        Assert.Equal(log.IndexOf(notice, StringComparison.Ordinal), log.LastIndexOf(notice, StringComparison.Ordinal));
        Assert.Contains("set CAIRN_UNMASK_STRING_PARAMETERS=true in env.variables or the project's environment variables (cairn build: --unmask-string-parameters)", log, StringComparison.Ordinal);
        Assert.True(log.IndexOf(notice, StringComparison.Ordinal) < log.IndexOf("Running command", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_request_option_leaves_string_parameters_readable_and_securestrings_masked()
    {
        var (_, log) = await _harness.RunAsync(Buildspec, request => request with { UnmaskStringParameters = true });

        Assert.Contains("Successfully tagged registry.example.com:5000/ci-user/app:latest\n", log, StringComparison.Ordinal);
        Assert.Contains("password=***\n", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, log, StringComparison.Ordinal);
        Assert.DoesNotContain("Masking the values", log, StringComparison.Ordinal);
        Assert.Contains("Leaving the values of String parameters my_app_Docker_registry_URL (DOCKER_REGISTRY_URL), my_app_Docker_credentials_username (DOCKER_REGISTRY_USERNAME) readable", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_variable_in_the_buildspec_leaves_string_parameters_readable()
    {
        var yaml = Buildspec.Replace("env:\n", "env:\n  variables:\n    CAIRN_UNMASK_STRING_PARAMETERS: \"true\"\n", StringComparison.Ordinal);

        var (_, log) = await _harness.RunAsync(yaml);

        Assert.Contains("Successfully tagged registry.example.com:5000/ci-user/app:latest\n", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_variable_in_the_project_leaves_string_parameters_readable()
    {
        var (_, log) = await _harness.RunAsync(Buildspec,
            request => request with { ProjectVariables = [new EnvironmentVariable("CAIRN_UNMASK_STRING_PARAMETERS", "true")] });

        Assert.Contains("Successfully tagged registry.example.com:5000/ci-user/app:latest\n", log, StringComparison.Ordinal);
        Assert.Contains("password=***\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_securestring_alone_gives_no_masking_notice()
    {
        var (_, log) = await _harness.RunAsync("version: 0.2\nenv:\n  parameter-store:\n    P: my_app_Docker_credentials_password\nphases:\n  build:\n    commands:\n      - echo \"$P\"\n");

        Assert.DoesNotContain("Masking the values", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, log, StringComparison.Ordinal);
    }
}
