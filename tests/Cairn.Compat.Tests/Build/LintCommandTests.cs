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

    public void Dispose() => Directory.Delete(_source, recursive: true);
}
