using Cairn.Runner.Diagnostics;

namespace Cairn.Runner.Tests.Diagnostics;

public sealed class CommandDiagnosticsTests : IDisposable
{
    private readonly string _source = Directory.CreateTempSubdirectory("cairn-diag-").FullName;
    private readonly CommandDiagnostics _diagnostics;

    public CommandDiagnosticsTests()
    {
        Directory.CreateDirectory(Path.Combine(_source, "day14", "simple_python_app"));
        Directory.CreateDirectory(Path.Combine(_source, "Docs"));
        File.WriteAllText(Path.Combine(_source, "day14", "simple_python_app", "app.py"), "print('hi')\n");
        File.WriteAllText(Path.Combine(_source, "build.sh"), "echo build\n");
        _diagnostics = new CommandDiagnostics(_source);
    }

    public void Dispose() => Directory.Delete(_source, recursive: true);

    [Theory]
    [InlineData("\nCould not connect to the endpoint URL: \"https://sts.us-east-1.amazonaws.com/\"\n", "https://sts.us-east-1.amazonaws.com/")]
    [InlineData("botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL: \"https://ssm.eu-west-1.amazonaws.com/\"", "https://ssm.eu-west-1.amazonaws.com/")]
    public void An_aws_client_that_went_to_aws_itself_gets_a_hint_to_use_AWS_ENDPOINT_URL(string output, string url)
    {
        var hint = _diagnostics.Explain("/usr/local/bin/aws sts get-caller-identity", 255, output);

        Assert.NotNull(hint);
        Assert.StartsWith($"{url} is AWS itself, not Cairn: this client ignores AWS_ENDPOINT_URL", hint, StringComparison.Ordinal);
        Assert.Contains("aws --endpoint-url \"$AWS_ENDPOINT_URL\"", hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_failure_to_another_host_gets_no_aws_hint()
    {
        Assert.Null(_diagnostics.Explain("curl x", 1, "Could not connect to the endpoint URL: \"http://127.0.0.1:4566/\""));
    }

    [Theory]
    [InlineData("bash: line 1: cd: day14/simple_pyton_app: No such file or directory")]
    [InlineData("/tmp/cairn-shell-1/cmd-3.sh: line 1: cd: day14/simple_pyton_app: No such file or directory")]
    [InlineData("sh: 1: cd: can't cd to day14/simple_pyton_app")]
    [InlineData("ls: cannot access 'day14/simple_pyton_app': No such file or directory")]
    public void Missing_directory_gets_the_closest_existing_one(string output)
    {
        Assert.Equal(
            "day14/simple_pyton_app does not exist; did you mean day14/simple_python_app?",
            _diagnostics.Explain("cd day14/simple_pyton_app", 2, output));
    }

    [Theory]
    [InlineData("cat: day41/simple_python_app/ap.py: No such file or directory", "day41/simple_python_app/ap.py", "day14/simple_python_app/app.py")]
    [InlineData("python3: can't open file 'day14/simple_python_app/apps.py': [Errno 2] No such file or directory", "day14/simple_python_app/apps.py", "day14/simple_python_app/app.py")]
    [InlineData("sh: 1: cannot open day14/Simple_Python_App/app.py: No such file", "day14/Simple_Python_App/app.py", "day14/simple_python_app/app.py")]
    [InlineData("cp: cannot stat 'docs': No such file or directory", "docs", "Docs")]
    public void Missing_file_gets_the_closest_existing_path_segment_by_segment(string output, string missing, string suggestion)
    {
        Assert.Equal($"{missing} does not exist; did you mean {suggestion}?", _diagnostics.Explain("x", 1, output));
    }

    [Fact]
    public void Absolute_path_inside_the_source_tree_is_corrected()
    {
        var missing = Path.Combine(_source, "day14", "simple-python-app");
        Assert.Equal(
            $"{missing} does not exist; did you mean {Path.Combine(_source, "day14", "simple_python_app")}?",
            _diagnostics.Explain("cd x", 2, $"sh: 1: cd: can't cd to {missing}"));
    }

    [Fact]
    public void Nothing_is_suggested_when_no_path_is_close()
    {
        Assert.Null(_diagnostics.Explain("cd x", 2, "sh: 1: cd: can't cd to completely/different"));
        Assert.Null(_diagnostics.Explain("cat /etc/nope", 1, "cat: /etc/nope: No such file or directory"));
        Assert.Null(_diagnostics.Explain("true", 0, "cat: day41: No such file or directory"));
    }

    [Theory]
    [InlineData("/tmp/cairn-shell-1/cmd-1.sh: line 1: mvn: command not found")]
    [InlineData("/tmp/cairn-shell-1/cmd-1.sh: 1: mvn: not found")]
    [InlineData("")]
    public void Exit_status_127_names_the_missing_command(string output)
    {
        Assert.Equal("command not found: mvn", _diagnostics.Explain("mvn -q package", 127, output));
    }

    [Fact]
    public void Missing_script_path_gets_a_suggestion()
    {
        Assert.Equal(
            "command not found: ./biuld.sh; did you mean ./build.sh?",
            _diagnostics.Explain("./biuld.sh", 127, "sh: 1: ./biuld.sh: not found"));
    }

    [Fact]
    public void Exit_status_126_on_a_script_suggests_chmod()
    {
        Assert.Equal(
            "./build.sh is not executable: add 'chmod +x ./build.sh' before it, or run it as 'sh ./build.sh'",
            _diagnostics.Explain("./build.sh", 126, "/tmp/c/cmd-1.sh: line 1: ./build.sh: Permission denied"));
    }

    [Fact]
    public void Edit_distance_counts_insertions_deletions_substitutions_and_swaps()
    {
        Assert.Equal(0, EditDistance.Between("abc", "abc"));
        Assert.Equal(1, EditDistance.Between("simple_pyton_app", "simple_python_app"));
        Assert.Equal(1, EditDistance.Between("day41", "day14"));
        Assert.Equal(2, EditDistance.Between("abcd", "axcy"));
        Assert.Equal(3, EditDistance.Between("", "abc"));
    }
}
