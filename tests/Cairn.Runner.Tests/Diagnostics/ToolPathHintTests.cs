using Cairn.Runner.Diagnostics;

namespace Cairn.Runner.Tests.Diagnostics;

/// <summary>The hint after a failing command for the seeds' three misspellings, from pip's and docker's own words.</summary>
public sealed class ToolPathHintTests : IDisposable
{
    private readonly string _source = Directory.CreateTempSubdirectory("cairn-diag-").FullName;

    public ToolPathHintTests()
    {
        Directory.CreateDirectory(Path.Combine(_source, "day14", "simple_python_app"));
        File.WriteAllText(Path.Combine(_source, "day14", "simple_python_app", "requirements.txt"), "flask\n");
    }

    public void Dispose() => Directory.Delete(_source, recursive: true);

    [Theory]
    [InlineData("pip install -r day14/sample_python_app/requirements.txt",
        "ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'day14/sample_python_app/requirements.txt'",
        "day14/sample_python_app/requirements.txt does not exist; did you mean day14/simple_python_app/requirements.txt?")]
    [InlineData("pip install -r day14/sample-python-app/requirements.txt",
        "ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'day14/sample-python-app/requirements.txt'",
        "day14/sample-python-app/requirements.txt does not exist; did you mean day14/simple_python_app/requirements.txt?")]
    [InlineData("docker build -t registry/ci/app day14/sample_python_app",
        "unable to prepare context: path \"day14/sample_python_app\" not found",
        "day14/sample_python_app does not exist; did you mean day14/simple_python_app?")]
    public void The_seeds_misspellings_get_did_you_mean_from_the_tools_output(string command, string output, string hint)
    {
        Assert.Equal(hint, new CommandDiagnostics(_source).Explain(command, 1, output));
    }

    [Fact]
    public void A_tool_that_fails_without_naming_the_path_gets_the_linters_finding()
    {
        var problems = new Dictionary<string, string> { ["make -C day14/sample_python_app"] = "the linter's finding" };

        Assert.Equal("the linter's finding", new CommandDiagnostics(_source, problems).Explain("make -C day14/sample_python_app", 2, "make: *** failed"));
        Assert.Null(new CommandDiagnostics(_source, problems).Explain("make other", 2, "make: *** failed"));
    }
}
