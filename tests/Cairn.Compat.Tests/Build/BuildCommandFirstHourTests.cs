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

    [Fact]
    public async Task The_source_directory_can_be_the_commands_argument_as_in_docker_build()
    {
        _workspace.Write("buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo \"ran in $(basename $CODEBUILD_SRC_DIR)\"\n");

        var result = await _workspace.BuildAsync("src");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("ran in src\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_argument_that_is_not_a_source_directory_says_which_option_was_meant()
    {
        _workspace.Write("buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n");

        var project = await _workspace.BuildAsync("myapp");
        var buildspec = await _workspace.BuildAsync("src/buildspec.yml");
        var twice = await _workspace.BuildAsync("src", "--source", "src");

        Assert.Equal(Cli.Commands.BuildCommand.ExitUsage, project.ExitCode);
        Assert.Contains("cairn build: there is no directory myapp: the argument is the source directory the commands run in", project.Stderr, StringComparison.Ordinal);
        Assert.Contains("To name the build's project instead, use: cairn build --project myapp", project.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unrecognized", project.Stderr, StringComparison.Ordinal);
        Assert.Equal(Cli.Commands.BuildCommand.ExitUsage, buildspec.ExitCode);
        Assert.Contains("src/buildspec.yml is a file, and the argument is the source directory. To run that buildspec, use: cairn build --buildspec src/buildspec.yml", buildspec.Stderr, StringComparison.Ordinal);
        Assert.Equal(Cli.Commands.BuildCommand.ExitUsage, twice.ExitCode);
        Assert.Contains("the source directory is given twice, as the argument src and as --source src; give one of them.", twice.Stderr, StringComparison.Ordinal);
        Assert.Empty(project.Stdout + buildspec.Stdout + twice.Stdout);
    }

    [Fact]
    public async Task A_mistyped_role_gets_did_you_mean_not_trust_policy_advice()
    {
        await CreateCodeBuildRoleAsync("codebuild-service-role");
        _workspace.Write("buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n");

        var result = await _workspace.BuildAsync("--role", "codebuild_service_role");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("role codebuild_service_role does not exist; did you mean codebuild-service-role? Run: cairn build --role codebuild-service-role", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("update-assume-role-policy", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_that_does_not_exist_gets_the_create_role_command()
    {
        _workspace.Write("buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n");

        var result = await _workspace.BuildAsync("--role", "nothing-like-it");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("role nothing-like-it does not exist; create it with: aws --endpoint-url http://127.0.0.1:4566 iam create-role --role-name nothing-like-it --assume-role-policy-document", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_seeds_attach_role_policy_before_create_role_names_the_role_and_the_create_role_command()
    {
        var result = await cairn.Aws("iam", "attach-role-policy", "--role-name", "never-created-role", "--policy-arn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess");

        result.Fails("NoSuchEntity");
        Assert.Contains("The role with name never-created-role cannot be found. Create the role first: aws iam create-role --role-name never-created-role", result.Stderr, StringComparison.Ordinal);
    }
}
