using Cairn.Core.Buildspec;
using static Cairn.Core.Buildspec.BuildspecDiagnosticCodes;

namespace Cairn.Core.Tests.Buildspec;

public sealed class SeedLintTests : IDisposable
{
    private readonly string _source;

    public SeedLintTests()
    {
        // The seed's repository layout: the app lives in day14/simple_python_app.
        _source = Path.Combine(Path.GetTempPath(), $"cairn-seed-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(_source, "day14", "simple_python_app"));
        File.WriteAllText(Path.Combine(_source, "day14", "simple_python_app", "requirements.txt"), "flask\n");
    }

    public void Dispose() => Directory.Delete(_source, recursive: true);

    private BuildspecLintResult Lint(string yaml) => BuildspecLinter.Lint(yaml, new LintOptions { SourceDirectory = _source });

    [Fact]
    public void Environment_with_resolve_seed_finds_the_wrong_key_the_literal_references_and_the_missing_login()
    {
        var diagnostics = Lint(SeedBuildspecs.EnvironmentWithResolve).Diagnostics;

        Assert.Equal(
            [(UndefinedVariable, 9), (UndefinedVariable, 9), (UndefinedVariable, 9), (DockerPushWithoutLogin, 10), (UnknownKey, 11),
             (DynamicReferenceNotPortable, 13), (DynamicReferenceNotPortable, 14), (DynamicReferenceNotPortable, 15)],
            diagnostics.Select(d => (d.Code, d.Location.Line)));
        Assert.Contains("rename 'environment:' to 'env:'", diagnostics[4].Hint, StringComparison.Ordinal);
        Assert.Contains("stays literal text", diagnostics[5].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_with_resolve_seed_says_which_variables_the_commands_see_empty_and_why()
    {
        var undefined = Lint(SeedBuildspecs.EnvironmentWithResolve).Diagnostics.Where(d => d.Code == UndefinedVariable).ToList();

        Assert.Equal(
            ["$DOCKER_REGISTRY_URL is never defined, so the command sees it empty",
             "$DOCKER_USERNAME is never defined, so the command sees it empty",
             "$APPLICATION_NAME is never defined, so the command sees it empty"],
            undefined.Select(d => d.Message));
        Assert.All(undefined, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Equal("DOCKER_REGISTRY_URL is set under 'environment:', which CodeBuild ignores: move it under env.variables (plaintext) or env.parameter-store (secrets).", undefined[0].Hint);
        Assert.StartsWith("define it under env.variables ('APPLICATION_NAME: value')", undefined[2].Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_with_resolve_seed_is_clean_after_the_suggested_fixes()
    {
        Assert.Empty(Lint(SeedBuildspecs.EnvironmentWithResolveFixed).Diagnostics);
    }

    [Fact]
    public void Renaming_environment_to_env_alone_leaves_the_portability_warnings()
    {
        var halfFixed = SeedBuildspecs.EnvironmentWithResolve.Replace("environment:", "env:", StringComparison.Ordinal);

        var diagnostics = Lint(halfFixed).Diagnostics.Where(d => d.Code == DynamicReferenceNotPortable).ToList();

        Assert.Equal(3, diagnostics.Count);
        Assert.Equal("to run the same buildspec on AWS, move it to env.parameter-store: 'NAME: /my_app_Docker_registry_URL'.", diagnostics[0].Hint);
        Assert.NotNull(BuildspecParser.Parse(halfFixed).Document!.Env.Variables[0].References.Single());
    }

    [Fact]
    public void Post_build_push_seed_finds_the_unguarded_push()
    {
        var diagnostics = Lint(SeedBuildspecs.PostBuildPush).Diagnostics;

        Assert.Equal(
            [(UndefinedVariable, 6), (UndefinedVariable, 6), (UnguardedDockerPush, 9), (DockerPushWithoutLogin, 9), (UnknownKey, 10), (DynamicReferenceNotPortable, 12), (DynamicReferenceNotPortable, 13), (DynamicReferenceNotPortable, 14)],
            diagnostics.Select(d => (d.Code, d.Location.Line)));
    }

    [Fact]
    public void Post_build_push_seed_is_clean_after_the_suggested_fixes()
    {
        Assert.Empty(Lint(SeedBuildspecs.PostBuildPushFixed).Diagnostics);
    }

    [Fact]
    public void Path_typo_seed_finds_the_missing_directory_and_suggests_the_real_one()
    {
        var diagnostics = Lint(SeedBuildspecs.ParameterStoreWithPathTypo).Diagnostics;

        Assert.Equal([(DirectoryNotFound, 12), (DockerPushWithoutLogin, 17)], diagnostics.Select(d => (d.Code, d.Location.Line)));
        Assert.Equal("cd day14/sample_python_app: day14 has no directory 'sample_python_app', so the command fails with \"No such file or directory\"", diagnostics[0].Message);
        Assert.Equal("did you mean 'cd day14/simple_python_app'?", diagnostics[0].Hint);
    }

    [Fact]
    public void Path_typo_seed_is_clean_after_the_suggested_fixes()
    {
        Assert.Empty(Lint(SeedBuildspecs.ParameterStoreWithPathTypoFixed).Diagnostics);
    }

    [Fact]
    public async Task Parameters_the_store_lacks_are_reported_with_AWS_wording()
    {
        var store = new FakeParameterStore("my_app_Docker_credentials_username", "my_app_Docker_credentials_password");

        var result = await BuildspecLinter.LintAsync(SeedBuildspecs.ParameterStoreWithPathTypoFixed, new LintOptions { SourceDirectory = _source, Parameters = store });

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(ParameterNotFound, diagnostic.Code);
        Assert.Equal("parameter does not exist: my_app_Docker_registry_URL", diagnostic.Message);
        Assert.Equal("Decrypted Variables Error", diagnostic.AwsStatusCode);
        Assert.Equal(new SourceLocation(7, 5), diagnostic.Location);
        Assert.True(result.HasErrors);
    }

    [Fact]
    public async Task Parameters_that_exist_give_no_finding()
    {
        var store = new FakeParameterStore("my_app_Docker_credentials_username", "my_app_Docker_credentials_password", "my_app_Docker_registry_URL");

        var result = await BuildspecLinter.LintAsync(SeedBuildspecs.ParameterStoreWithPathTypoFixed, new LintOptions { SourceDirectory = _source, Parameters = store });

        Assert.Empty(result.Diagnostics);
        Assert.Equal(3, store.Asked.Count);
    }

    [Fact]
    public async Task Resolve_references_are_checked_against_the_store_too()
    {
        var store = new FakeParameterStore("/my_app_Docker_registry_URL");
        var yaml = SeedBuildspecs.EnvironmentWithResolve.Replace("environment:", "env:", StringComparison.Ordinal);

        var result = await BuildspecLinter.LintAsync(yaml, new LintOptions { Parameters = store });

        Assert.Equal(
            ["parameter does not exist: /my_app_Docker_credentials_username (in {{resolve:ssm:/my_app_Docker_credentials_username}})",
             "parameter does not exist: /my_app_Docker_credentials_password (in {{resolve:ssm:/my_app_Docker_credentials_password}})"],
            result.Diagnostics.Where(d => d.Code == ParameterNotFound).Select(d => d.Message));
    }

    [Fact]
    public async Task Without_a_store_nothing_is_looked_up()
    {
        var result = await BuildspecLinter.LintAsync(SeedBuildspecs.ParameterStoreWithPathTypoFixed, new LintOptions { SourceDirectory = _source });

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Path_checks_need_a_source_directory()
    {
        Assert.DoesNotContain(BuildspecLinter.Lint(SeedBuildspecs.ParameterStoreWithPathTypo).Diagnostics, d => d.Code == DirectoryNotFound);
    }

    public static TheoryData<string, string?> CdCases => new()
    {
        { "- cd day14\n      - cd simple_python_app", null },
        { "- cd day14 && cd sample_python_app", "did you mean 'cd simple_python_app'?" },
        { "- cd \"$CODEBUILD_SRC_DIR/day14/simple_python_app\"", null },
        { "- cd ${CODEBUILD_SRC_DIR}/day14/nope", "day14 has no directory 'nope'" },
        { "- cd /tmp\n      - cd anything", null },
        { "- cd $SOMEWHERE\n      - cd anything", null },
        { "- mkdir -p build\n      - cd build", null },
        { "- git clone https://example.com/tools.git\n      - cd tools", null },
        { "- cd day14/simple_python_app\n      - cd ..\n      - cd simple_python_app", null },
        { "- cd missing", "the source root has no directory 'missing'" },
    };

    [Theory]
    [MemberData(nameof(CdCases))]
    public void Cd_is_followed_through_the_commands(string commands, string? expected)
    {
        var yaml = $"version: 0.2\nphases:\n  build:\n    commands:\n      {commands}\n";

        var found = Lint(yaml).Diagnostics.Where(d => d.Code == DirectoryNotFound).Select(d => d.Message + " " + d.Hint).ToList();

        if (expected is null)
        {
            Assert.Empty(found);
        }
        else
        {
            Assert.Contains(expected, Assert.Single(found), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Version_0_1_starts_every_command_at_the_source_root()
    {
        var yaml = "version: 0.1\nphases:\n  build:\n    commands:\n      - cd day14\n      - cd simple_python_app\n";

        var found = Lint(yaml).Diagnostics.Single(d => d.Code == DirectoryNotFound);

        Assert.Equal(6, found.Location.Line);
    }

    private sealed class FakeParameterStore(params string[] names) : IParameterExistence
    {
        public List<string> Asked { get; } = [];

        public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken)
        {
            Asked.Add(name);
            return Task.FromResult(names.Contains(name));
        }
    }
}
