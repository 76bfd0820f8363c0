using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Server.Aws.SigV4;
using Cairn.Server.Hosting;
using Cairn.Server.Services.CodeBuild;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cairn.Server.Tests.Hosting;

/// <summary>
/// Two servers on one data directory, as `cairn build` (in-process server) beside `cairn serve`: what one writes, the
/// other must not serve stale from its caches. Parameters: at once. IAM: within a second, as IAM is eventually consistent.
/// </summary>
public sealed partial class SharedDataDirectoryTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cairn-shared-" + Guid.NewGuid().ToString("N"));
    private CairnServer _serve = null!;
    private CairnServer _build = null!;

    public async Task InitializeAsync()
    {
        var options = new CairnServerOptions { DataDirectory = _data, Port = 0, RootAccessKeyId = "AKIASHAREDROOT000001", RootSecretAccessKey = "shared-root-secret" };
        _serve = await CairnServer.StartAsync(options);
        _build = await CairnServer.StartAsync(options);
    }

    [Fact]
    public async Task A_parameter_written_by_one_server_is_read_at_once_by_the_other()
    {
        await SsmAsync(_serve, "PutParameter", """{"Name":"/shared/p","Value":"one","Type":"String"}""");
        Assert.Contains("\"Value\":\"one\"", await SsmAsync(_build, "GetParameter", """{"Name":"/shared/p"}"""), StringComparison.Ordinal);

        await SsmAsync(_serve, "PutParameter", """{"Name":"/shared/p","Value":"two","Type":"String","Overwrite":true}""");
        Assert.Contains("\"Value\":\"two\"", await SsmAsync(_build, "GetParameter", """{"Name":"/shared/p"}"""), StringComparison.Ordinal);

        await SsmAsync(_serve, "DeleteParameter", """{"Name":"/shared/p"}""");
        var (status, body) = await SendAsync(_build, Ssm("GetParameter", """{"Name":"/shared/p"}"""), "AKIASHAREDROOT000001", "shared-root-secret", "ssm");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("ParameterNotFound", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_access_key_deleted_through_one_server_stops_working_on_the_other_within_a_second_or_two()
    {
        await IamAsync(_serve, "Action=CreateUser&UserName=shared-user");
        await IamAsync(_serve, "Action=AttachUserPolicy&UserName=shared-user&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAmazonSSMReadOnlyAccess");
        var created = await IamAsync(_serve, "Action=CreateAccessKey&UserName=shared-user");
        var keyId = AccessKeyId().Match(created).Groups[1].Value;
        var secret = SecretAccessKey().Match(created).Groups[1].Value;
        await SsmAsync(_serve, "PutParameter", """{"Name":"/shared/readable","Value":"v","Type":"String"}""");

        // The other server authenticates the key (and caches what it learned).
        var deadline = DateTime.UtcNow.AddSeconds(5);
        HttpStatusCode status;
        do
        {
            (status, _) = await SendAsync(_build, Ssm("GetParameter", """{"Name":"/shared/readable"}"""), keyId, secret, "ssm");
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal(HttpStatusCode.OK, status);

        await IamAsync(_serve, $"Action=DeleteAccessKey&UserName=shared-user&AccessKeyId={keyId}");
        var deletedAt = DateTime.UtcNow;
        string body;
        do
        {
            (status, body) = await SendAsync(_build, Ssm("GetParameter", """{"Name":"/shared/readable"}"""), keyId, secret, "ssm");
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deletedAt.AddSeconds(5) && await Delay());

        Assert.NotEqual(HttpStatusCode.OK, status);
        Assert.Contains("UnrecognizedClientException", body, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - deletedAt < TimeSpan.FromSeconds(3), $"took {DateTime.UtcNow - deletedAt}");
    }

    [Fact]
    public async Task A_server_that_runs_no_builds_leaves_them_queued_for_one_that_does()
    {
        var data = _data + "-builds";
        var options = new CairnServerOptions { DataDirectory = data, Port = 0, RootAccessKeyId = "AKIASHAREDROOT000001", RootSecretAccessKey = "shared-root-secret" };
        try
        {
            string id;
            // As `cairn build` starts its in-process server.
            await using (var apiOnly = await CairnServer.StartAsync(options, services =>
            {
                services.RemoveAll<CodeBuildOptions>();
                services.AddSingleton(new CodeBuildOptions { RunsBuilds = false });
            }))
            {
                const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
                await IamAsync(apiOnly, "Action=CreateRole&RoleName=builder&AssumeRolePolicyDocument=" + Uri.EscapeDataString(Trust));
                await CodeBuildAsync(apiOnly, "CreateProject", """
                    {"name":"queued","source":{"type":"NO_SOURCE","buildspec":"version: 0.2\nphases:\n  build:\n    commands:\n      - echo ran\n"},
                     "artifacts":{"type":"NO_ARTIFACTS"},"environment":{"type":"LINUX_EC2","image":"host","computeType":"BUILD_GENERAL1_SMALL"},
                     "serviceRole":"arn:aws:iam::000000000000:role/builder"}
                    """);
                var started = await CodeBuildAsync(apiOnly, "StartBuild", """{"projectName":"queued"}""");
                id = IdOf().Match(started).Groups[1].Value;
                await Task.Delay(1_500);
                Assert.Contains("\"currentPhase\":\"QUEUED\"", await CodeBuildAsync(apiOnly, "BatchGetBuilds", $$"""{"ids":["{{id}}"]}"""), StringComparison.Ordinal);
            }

            await using var runner = await CairnServer.StartAsync(options);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            string build;
            do
            {
                build = await CodeBuildAsync(runner, "BatchGetBuilds", $$"""{"ids":["{{id}}"]}""");
            }
            while (!build.Contains("\"buildComplete\":true", StringComparison.Ordinal) && DateTime.UtcNow < deadline && await Delay());

            Assert.Contains("\"buildStatus\":\"SUCCEEDED\"", build, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<string> CodeBuildAsync(CairnServer server, string operation, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8, "application/x-amz-json-1.1") };
        request.Headers.Add("X-Amz-Target", "CodeBuild_20161006." + operation);
        var (status, body) = await SendAsync(server, request, server.Root.AccessKeyId, server.Root.SecretAccessKey, "codebuild");
        Assert.True(status == HttpStatusCode.OK, $"{operation}: {status} {body}");
        return body;
    }

    [GeneratedRegex("\"id\":\"([^\"]+)\"")]
    private static partial Regex IdOf();

    private static async Task<bool> Delay()
    {
        await Task.Delay(50);
        return true;
    }

    private static HttpRequestMessage Ssm(string operation, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8, "application/x-amz-json-1.1") };
        request.Headers.Add("X-Amz-Target", "AmazonSSM." + operation);
        return request;
    }

    private static async Task<string> SsmAsync(CairnServer server, string operation, string json)
    {
        var (status, body) = await SendAsync(server, Ssm(operation, json), server.Root.AccessKeyId, server.Root.SecretAccessKey, "ssm");
        Assert.True(status == HttpStatusCode.OK, $"{operation}: {status} {body}");
        return body;
    }

    private static async Task<string> IamAsync(CairnServer server, string form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent(form + "&Version=2010-05-08", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        var (status, body) = await SendAsync(server, request, server.Root.AccessKeyId, server.Root.SecretAccessKey, "iam");
        Assert.True(status == HttpStatusCode.OK, $"{form}: {status} {body}");
        return body;
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(CairnServer server, HttpRequestMessage request, string keyId, string secret, string service)
    {
        using var http = new HttpClient { BaseAddress = server.Endpoint };
        using (request)
        {
            request.RequestUri = new Uri(server.Endpoint, "/");
            await new SigV4Signer(keyId, secret, "us-east-1", service).SignAsync(request, DateTimeOffset.UtcNow, CancellationToken.None);
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    [GeneratedRegex("<AccessKeyId>([^<]+)</AccessKeyId>")]
    private static partial Regex AccessKeyId();

    [GeneratedRegex("<SecretAccessKey>([^<]+)</SecretAccessKey>")]
    private static partial Regex SecretAccessKey();

    public async Task DisposeAsync()
    {
        await _build.DisposeAsync();
        await _serve.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
