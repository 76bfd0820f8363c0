using System.Diagnostics;
using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Serve;

/// <summary>`cairn serve` as a user runs it: a busy port, the access log, and the lines builds print.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("cairn-serve-").FullName;

    [Fact]
    public async Task A_second_cairn_serve_on_a_busy_port_prints_one_line_naming_port_and_exits_2_and_the_first_logs_no_requests_by_default()
    {
        await using var first = await CairnProcess.StartAsync(_data);
        (await ClientProcess.RunAsync(ClientProcess.AwsCli, ["--endpoint-url", first.Endpoint, "--region", "us-east-1", "sts", "get-caller-identity"],
            new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = CairnFixture.RootKeyId, ["AWS_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret })).Ok();

        var second = await RunCairnAsync("serve", "--data", _data, "--port", first.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, second.ExitCode);
        var lines = (second.Stdout + second.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, second.Stdout + second.Stderr);
        Assert.Equal($"cairn serve: 127.0.0.1:{first.Port} is already in use (another `cairn serve`?): stop that one, or start this one on another port with --port {first.Port + 1}.", lines[0]);
        Assert.Contains("--access-log adds a line per request", first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("sts:GetCallerIdentity", first.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notaport")]
    [InlineData("70000")]
    [InlineData("-1")]
    public async Task A_port_that_is_not_a_port_number_is_refused_in_words_not_as_a_CLR_type(string given)
    {
        var result = await RunCairnAsync("serve", "--data", _data, "--port", given);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"--port takes a port number from 0 to 65535, such as 4566; '{given}' is not one.", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Int32", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_access_log_prints_a_line_per_request_and_every_build_prints_its_start_and_finish()
    {
        await using var server = await CairnProcess.StartAsync(_data, null, "--access-log");
        var aws = (string[] arguments) => ClientProcess.RunAsync(ClientProcess.AwsCli, ["--endpoint-url", server.Endpoint, "--region", "us-east-1", .. arguments],
            new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = CairnFixture.RootKeyId, ["AWS_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret });

        (await aws(["ssm", "get-parameter", "--name", "/not/there"])).Fails("ParameterNotFound");
        (await aws(["codebuild", "create-project", "--name", "logged",
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n" }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS", "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL",
            "--service-role", "arn:aws:iam::000000000000:role/no-such-role"])).Ok();
        var id = (await aws(["codebuild", "start-build", "--project-name", "logged"])).Ok()["build"]!["id"]!.GetValue<string>();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!server.Output.Contains($"Build {id} finished", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var output = server.Output;
        Assert.Contains("logging every request", output, StringComparison.Ordinal);
        Assert.Matches(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ 127\.0\.0\.1 arn:aws:iam::000000000000:root ssm:GetParameter 400 ParameterNotFound \d+ms [0-9a-f-]{36}", output);
        Assert.Matches(@"arn:aws:iam::000000000000:root codebuild:StartBuild 200 - \d+ms", output);
        Assert.Contains($"Build {id} started", output, StringComparison.Ordinal);
        Assert.Matches($@"Build {id} finished: FAILED after \d+s", output);
    }

    private static async Task<ProcessResult> RunCairnAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "cairn")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
