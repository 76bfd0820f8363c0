using Cairn.Core.Tests.Buildspec;

namespace Cairn.Compat.Tests.Build;

/// <summary>
/// Issue 10's first hour with the built `cairn build`: the seeds' buildspecs as written are linted in the log, String
/// parameters can be left readable, and a mistyped role gets did-you-mean instead of advice about its trust policy.
/// </summary>
public sealed partial class BuildCommandTests
{
    [Fact]
    public async Task The_environment_seed_as_written_prints_what_lint_knows_before_the_commands_run()
    {
        _workspace.Write("buildspec.yml", SeedBuildspecs.EnvironmentWithResolve);

        var result = await _workspace.BuildAsync();

        var download = result.Stdout[..result.Stdout.IndexOf("== INSTALL ==", StringComparison.Ordinal)];
        Assert.Contains("[WARN] buildspec.yml:11:1: error BS101: unknown top-level key 'environment'", download, StringComparison.Ordinal);
        Assert.Contains("[WARN] buildspec.yml:9:9: warning BS117: $APPLICATION_NAME is never defined, so the command sees it empty", download, StringComparison.Ordinal);
        Assert.Contains("hint: DOCKER_REGISTRY_URL is set under 'environment:', which CodeBuild ignores", download, StringComparison.Ordinal);
        Assert.Contains("build -t // .", File.ReadAllText(_workspace.Calls), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unmask_string_parameters_leaves_the_registry_readable_and_the_secrets_masked()
    {
        await PutAsync("/my_app_Docker_registry_URL", "registry.example.test", "String");
        await PutAsync("/my_app_Docker_credentials_username", "seeduser");
        await PutAsync("/my_app_Docker_credentials_password", Password);
        _workspace.Write("buildspec.yml", SeedBuildspecs.EnvironmentWithResolveFixed);

        var masked = await _workspace.BuildAsync();
        var readable = await _workspace.BuildAsync("--unmask-string-parameters");

        Assert.Contains("docker push ***/***/sample-python-flask-app\n", masked.Stdout, StringComparison.Ordinal);
        Assert.Contains("To leave String parameters readable, set CAIRN_UNMASK_STRING_PARAMETERS=true", masked.Stdout, StringComparison.Ordinal);
        Assert.True(readable.ExitCode == 0, readable.Stdout + readable.Stderr);
        Assert.Contains("docker push registry.example.test/***/sample-python-flask-app\n", readable.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("seeduser", readable.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, readable.Stdout, StringComparison.Ordinal);
    }
}
