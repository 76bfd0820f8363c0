using Cairn.Core.Buildspec;
using static Cairn.Core.Buildspec.BuildspecDiagnosticCodes;

namespace Cairn.Core.Tests.Buildspec;

/// <summary>Every command argument that names a missing relative path, not only cd (BS118), with the seeds' misspellings.</summary>
public sealed class PathArgumentLintTests : IDisposable
{
    private readonly string _source = Directory.CreateTempSubdirectory("cairn-paths-").FullName;

    public PathArgumentLintTests()
    {
        Directory.CreateDirectory(Path.Combine(_source, "day14", "simple_python_app"));
        File.WriteAllText(Path.Combine(_source, "day14", "simple_python_app", "requirements.txt"), "flask\n");
        File.WriteAllText(Path.Combine(_source, "day14", "simple_python_app", "app.py"), "print('hi')\n");
        File.WriteAllText(Path.Combine(_source, "day14", "simple_python_app", "Dockerfile"), "FROM scratch\n");
    }

    public void Dispose() => Directory.Delete(_source, recursive: true);

    private List<BuildspecDiagnostic> Paths(string commands)
    {
        var yaml = $"version: 0.2\nphases:\n  build:\n    commands:\n      {commands}\n";
        return [.. BuildspecLinter.Lint(yaml, new LintOptions { SourceDirectory = _source }).Diagnostics
            .Where(d => d.Code is DirectoryNotFound or PathNotFound)];
    }

    [Fact]
    public void The_seeds_pip_path_with_sample_instead_of_simple_is_found()
    {
        var diagnostic = Assert.Single(Paths("- pip install -r day14/sample_python_app/requirements.txt"));

        Assert.Equal(PathNotFound, diagnostic.Code);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("pip install -r day14/sample_python_app/requirements.txt: day14 has no directory 'sample_python_app', so the command fails", diagnostic.Message);
        Assert.Equal("did you mean 'day14/simple_python_app/requirements.txt'?", diagnostic.Hint);
    }

    [Fact]
    public void The_seeds_own_wrong_fix_with_dashes_is_found_too()
    {
        var diagnostic = Assert.Single(Paths("- pip install -r day14/sample-python-app/requirements.txt"));

        Assert.Equal("did you mean 'day14/simple_python_app/requirements.txt'?", diagnostic.Hint);
    }

    [Fact]
    public void The_seeds_docker_build_context_is_found()
    {
        var diagnostic = Assert.Single(Paths("- docker build -t registry/app:latest day14/sample_python_app"));

        Assert.Equal("docker build context day14/sample_python_app: day14 has no directory 'sample_python_app', so the command fails", diagnostic.Message);
        Assert.Equal("did you mean 'day14/simple_python_app'?", diagnostic.Hint);
    }

    [Fact]
    public void An_earlier_bad_path_does_not_hide_a_later_cd_typo()
    {
        var found = Paths("- pip install -r day14/sample_python_app/requirements.txt\n      - cd day14/sample_python_app");

        Assert.Equal([PathNotFound, DirectoryNotFound], found.Select(d => d.Code));
    }

    public static TheoryData<string, string?> Cases => new()
    {
        { "- pip install -r day14/simple_python_app/requirements.txt", null },
        { "- cd day14/simple_python_app\n      - pip install -r requirements.txt", null },
        { "- cd day14/simple_python_app\n      - pip install --requirement=requirement.txt", "did you mean 'requirements.txt'?" },
        { "- python3 -m pip install -rday14/simple_python_app/requirments.txt", "did you mean 'day14/simple_python_app/requirements.txt'?" },
        { "- docker build -f day14/simple_python_app/Dockerfil day14/simple_python_app", "did you mean 'day14/simple_python_app/Dockerfile'?" },
        { "- docker build --build-arg BASE=x -t a/b day14/simple_python_app", null },
        { "- docker build -t \"$URL/app\" .", null },
        { "- docker build https://example.com/repo.git", null },
        { "- cp day14/simple_python_app/ap.py /tmp/", "did you mean 'day14/simple_python_app/app.py'?" },
        { "- cat day14/simple_python_app/requirement.txt", "did you mean 'day14/simple_python_app/requirements.txt'?" },
        { "- python day14/simple_python_app/apps.py", "did you mean 'day14/simple_python_app/app.py'?" },
        { "- python -m pytest tests", null },
        { "- sh -c 'echo hi'", null },
        { "- ./day14/simple_python_app/run.sh", "day14/simple_python_app has no file or directory 'run.sh'" },
        { "- echo day14/nothing > notes.txt\n      - cat notes.txt", null },
        { "- mkdir -p out\n      - cp day14/simple_python_app/app.py out/\n      - cat out/app.py", null },
        { "- cat $CODEBUILD_SRC_DIR/day14/simple_python_app/app.py", null },
        { "- cat \"${CODEBUILD_SRC_DIR}/day14/simple_python_app/nope.py\"", "day14/simple_python_app has no file or directory 'nope.py'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Path_arguments_are_checked_from_the_directory_cd_left(string commands, string? expected)
    {
        var found = Paths(commands).Select(d => d.Message + " " + d.Hint).ToList();

        if (expected is null)
        {
            Assert.Empty(found);
        }
        else
        {
            Assert.Contains(expected, Assert.Single(found), StringComparison.Ordinal);
        }
    }
}
