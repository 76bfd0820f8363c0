using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Build;

/// <summary>`cairn lint` with a reachable Parameter Store reports the parameter-store names that do not exist.</summary>
public sealed class LintCommandTests(CairnFixture cairn) : IClassFixture<CairnFixture>, IDisposable
{
    private readonly string _source = Directory.CreateTempSubdirectory("cairn-lint-").FullName;

    [Fact]
    public async Task Lint_with_a_data_directory_names_the_parameters_that_do_not_exist()
    {
        (await cairn.Aws("ssm", "put-parameter", "--name", "/lint/exists", "--value", "LintSecretValue7", "--type", "SecureString")).Ok();
        var buildspec = Path.Combine(_source, "buildspec.yml");
        await File.WriteAllTextAsync(buildspec, """
            version: 0.2
            env:
              parameter-store:
                PRESENT: /lint/exists
                ABSENT: /lint/missing
                NEAR: /lint/exist
            phases:
              build:
                commands:
                  - echo building
            """);

        var result = await ClientProcess.RunAsync(Path.Combine(AppContext.BaseDirectory, "cairn"),
            ["lint", "--data", cairn.DataDirectory, buildspec], new Dictionary<string, string>());

        Assert.Contains("parameter does not exist: /lint/missing", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("parameter does not exist: /lint/exists", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("did you mean /lint/exists?", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("LintSecretValue7", result.Stdout + result.Stderr, StringComparison.Ordinal);

        var without = await ClientProcess.RunAsync(Path.Combine(AppContext.BaseDirectory, "cairn"),
            ["lint", buildspec], new Dictionary<string, string>());
        Assert.DoesNotContain("parameter does not exist", without.Stdout, StringComparison.Ordinal);

        var wrong = await ClientProcess.RunAsync(Path.Combine(AppContext.BaseDirectory, "cairn"),
            ["lint", "--data", Path.Combine(_source, "nowhere"), buildspec], new Dictionary<string, string>());
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("holds no Cairn database", wrong.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_checks_referenced_names_against_the_servers_naming_rule_or_one_given_offline()
    {
        using (var http = new HttpClient())
        {
            var client = new Cairn.Cli.Builds.AwsApiClient(http, new Uri(cairn.Endpoint),
                new Cairn.Cli.Builds.AwsCredentials(CairnFixture.RootKeyId, CairnFixture.RootSecret, null), "us-east-1");
            await client.JsonAsync("cairn", "CairnSecrets.PutNamingRule",
                new System.Text.Json.Nodes.JsonObject { ["Pattern"] = "{app:lower}_{kind:title}_{detail:lower}", ["Mode"] = "warn" }, CancellationToken.None);
        }

        var buildspec = Path.Combine(_source, "naming.yml");
        await File.WriteAllTextAsync(buildspec, """
            version: 0.2
            env:
              parameter-store:
                DOCKER_USERNAME: /my_app_Docker_credentials_username
                DOCKER_REGISTRY_URL: /my_app_Docker_registry_URL
            phases:
              build:
                commands:
                  - echo building
            """);

        var online = await ClientProcess.RunAsync(Path.Combine(AppContext.BaseDirectory, "cairn"), ["lint", "--data", cairn.DataDirectory, buildspec], new Dictionary<string, string>());

        Assert.Contains("warning BS119: parameter /my_app_Docker_registry_URL does not follow the naming rule '{app:lower}_{kind:title}_{detail:lower}'", online.Stdout, StringComparison.Ordinal);
        Assert.Contains("did you mean /my_app_Docker_registry_url?", online.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("parameter /my_app_Docker_credentials_username does not follow", online.Stdout, StringComparison.Ordinal);

        var offline = await ClientProcess.RunAsync(Path.Combine(AppContext.BaseDirectory, "cairn"),
            ["lint", "--naming-rule", "{app:lower}-{kind:lower}-{detail:lower}", buildspec], new Dictionary<string, string>());
        Assert.Contains("parameter /my_app_Docker_credentials_username does not follow the naming rule '{app:lower}-{kind:lower}-{detail:lower}'", offline.Stdout, StringComparison.Ordinal);
        Assert.Contains("parameter /my_app_Docker_registry_URL does not follow", offline.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, offline.ExitCode);

        var bad = await ClientProcess.RunAsync(Path.Combine(AppContext.BaseDirectory, "cairn"), ["lint", "--naming-rule", "regex:(", buildspec], new Dictionary<string, string>());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--naming-rule: Naming rule 'regex:(' is not valid", bad.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_source, recursive: true);
}
