using System.Text.Json.Nodes;
using Cairn.EndToEnd.Tests.Infrastructure;

namespace Cairn.EndToEnd.Tests.Seeds;

/// <summary>
/// The seeds' whole story with real parts: registry credentials in the Parameter Store (the password a SecureString),
/// a CodeBuild service role with AmazonSSMReadOnlyAccess, a project over a git repository of examples/flask-app, and a
/// build that logs in, builds the image and pushes it to a real registry. Then the two failures the seeds hit: the
/// role without the policy, and the path typo.
/// </summary>
public sealed class FlaskAppBuildTests(SeedsFixture seeds) : IClassFixture<SeedsFixture>
{
    private const string RoleName = "codebuild-service-role";
    private const string Policy = "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess";
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private static readonly SemaphoreSlim Setup = new(1, 1);
    private static readonly HashSet<string> Projects = [];

    /// <summary>Parameters, role and project, once per run; the role's policy is attached or detached as each test needs.</summary>
    private async Task ProjectAsync(string name, string environment, bool policyAttached)
    {
        await Setup.WaitAsync();
        try
        {
            if (Projects.Count == 0)
            {
                await seeds.Aws.OkAsync("ssm", "put-parameter", "--name", "my_app_Docker_registry_URL", "--value", seeds.Registry.Address, "--type", "String");
                await seeds.Aws.OkAsync("ssm", "put-parameter", "--name", "my_app_Docker_credentials_username", "--value", Registry.UserName, "--type", "String");
                await seeds.Aws.OkAsync("ssm", "put-parameter", "--name", "my_app_Docker_credentials_password", "--value", seeds.Registry.Password, "--type", "SecureString");
                await seeds.Aws.OkAsync("iam", "create-role", "--role-name", RoleName, "--assume-role-policy-document", Trust);
            }

            if (Projects.Add(name))
            {
                await seeds.Aws.OkAsync("codebuild", "create-project", "--name", name,
                    "--source", $"type=GITHUB,location={seeds.RepositoryUrl}",
                    "--artifacts", "type=NO_ARTIFACTS",
                    "--environment", environment,
                    "--service-role", $"arn:aws:iam::000000000000:role/{RoleName}");
            }

            var attached = (await seeds.Aws.OkAsync("iam", "list-attached-role-policies", "--role-name", RoleName))["AttachedPolicies"]!
                .AsArray().Any(p => p!["PolicyArn"]!.GetValue<string>() == Policy);
            if (attached != policyAttached)
            {
                await seeds.Aws.OkAsync("iam", policyAttached ? "attach-role-policy" : "detach-role-policy", "--role-name", RoleName, "--policy-arn", Policy);
            }
        }
        finally
        {
            Setup.Release();
        }
    }

    private static string HostEnvironment(string tag) =>
        $"type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL,privilegedMode=true,"
        + $"environmentVariables=[{{name=BASE_IMAGE,value={DockerHost.BaseImage}}},{{name=IMAGE_TAG,value={tag}}}]";

    private static JsonNode Phase(JsonNode build, string type) =>
        build["phases"]!.AsArray().Single(p => p!["phaseType"]!.GetValue<string>() == type)!;

    private void AssertNoPassword(string text, string where) =>
        Assert.False(text.Contains(seeds.Registry.Password, StringComparison.Ordinal), $"the registry password appears in {where}");

    [Fact]
    public async Task The_seeds_build_logs_in_builds_and_pushes_the_image_and_the_password_appears_in_no_log()
    {
        await ProjectAsync("sample-python-flask-app", HostEnvironment("seeds-1"), policyAttached: true);

        var build = await seeds.RunBuildAsync("--project-name", "sample-python-flask-app");

        var log = await seeds.LogAsync(build);
        Assert.True(build["buildStatus"]!.GetValue<string>() == "SUCCEEDED", $"the build {build["buildStatus"]}:\n{log}");
        Assert.Contains($"{Registry.UserName}/sample-python-flask-app", await seeds.Registry.CatalogAsync());
        Assert.Contains("seeds-1", await seeds.Registry.TagsAsync($"{Registry.UserName}/sample-python-flask-app"));
        Assert.Contains("Login Succeeded", log, StringComparison.Ordinal);
        Assert.Contains("Logging in to *** as ***", log, StringComparison.Ordinal);
        Assert.Equal(["SUBMITTED", "QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE", "INSTALL", "PRE_BUILD", "BUILD", "POST_BUILD", "UPLOAD_ARTIFACTS", "FINALIZING", "COMPLETED"],
            build["phases"]!.AsArray().Select(p => p!["phaseType"]!.GetValue<string>()));
        Assert.Matches("^[0-9a-f]{40}$", build["resolvedSourceVersion"]!.GetValue<string>());
        AssertNoPassword(log, "aws logs get-log-events");
        var uuid = build["logs"]!["streamName"]!.GetValue<string>();
        AssertNoPassword(await File.ReadAllTextAsync(Path.Combine(seeds.DataDirectory, "builds", uuid, "log")), "the stored log file");
        var filtered = await seeds.Aws.OkAsync("logs", "filter-log-events", "--log-group-name", "/aws/codebuild/sample-python-flask-app");
        AssertNoPassword(filtered.ToJsonString(), "aws logs filter-log-events");
    }

    [Fact]
    public async Task Without_the_ssm_policy_the_build_fails_in_download_source_with_awss_access_denied_and_the_fix()
    {
        await ProjectAsync("sample-python-flask-app", HostEnvironment("seeds-1"), policyAttached: false);

        var build = await seeds.RunBuildAsync("--project-name", "sample-python-flask-app");

        var log = await seeds.LogAsync(build);
        Assert.Equal("FAILED", build["buildStatus"]!.GetValue<string>());
        var download = Phase(build, "DOWNLOAD_SOURCE");
        Assert.Equal("FAILED", download["phaseStatus"]!.GetValue<string>());
        var message = download["contexts"]![0]!["message"]!.GetValue<string>();
        Assert.StartsWith("AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role/codebuild-service-role/AWSCodeBuild-", message, StringComparison.Ordinal);
        Assert.Contains("is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:000000000000:parameter/my_app_", message, StringComparison.Ordinal);
        Assert.Contains("iam put-role-policy --role-name codebuild-service-role", log, StringComparison.Ordinal);
        Assert.DoesNotContain(build["phases"]!.AsArray(), p => p!["phaseType"]!.GetValue<string>() == "BUILD");
        AssertNoPassword(log, "the failed build's log");
    }

    [Fact]
    public async Task With_the_seeds_path_typo_the_build_fails_and_says_did_you_mean()
    {
        await ProjectAsync("sample-python-flask-app", HostEnvironment("seeds-1"), policyAttached: true);

        var build = await seeds.RunBuildAsync("--project-name", "sample-python-flask-app", "--source-version", SeedsFixture.TypoBranch,
            "--environment-variables-override", "name=IMAGE_TAG,value=typo");

        var log = await seeds.LogAsync(build);
        Assert.Equal("FAILED", build["buildStatus"]!.GetValue<string>());
        Assert.Equal("FAILED", Phase(build, "BUILD")["phaseStatus"]!.GetValue<string>());
        Assert.Contains("did you mean day14/simple_python_app", log, StringComparison.Ordinal);
        Assert.Equal("FAILED", Phase(build, "POST_BUILD")["phaseStatus"]!.GetValue<string>());
        Assert.DoesNotContain("typo", await seeds.Registry.TagsAsync($"{Registry.UserName}/sample-python-flask-app"));
    }

    [Fact]
    public async Task In_a_privileged_container_the_build_uses_the_hosts_docker_to_build_and_push()
    {
        await DockerHost.RequireDockerCliImageAsync();
        await ProjectAsync("flask-app-in-container",
            $"type=LINUX_CONTAINER,image={DockerHost.DockerCliImage},computeType=BUILD_GENERAL1_SMALL,privilegedMode=true,"
            + $"environmentVariables=[{{name=BASE_IMAGE,value={DockerHost.BaseImage}}},{{name=IMAGE_TAG,value=container-1}}]",
            policyAttached: true);

        var build = await seeds.RunBuildAsync("--project-name", "flask-app-in-container");

        var log = await seeds.LogAsync(build);
        Assert.True(build["buildStatus"]!.GetValue<string>() == "SUCCEEDED", $"the build {build["buildStatus"]}:\n{log}");
        Assert.Contains($"container of {DockerHost.DockerCliImage}", log, StringComparison.Ordinal);
        Assert.Contains("container-1", await seeds.Registry.TagsAsync($"{Registry.UserName}/sample-python-flask-app"));
        AssertNoPassword(log, "the container build's log");
    }

    [Fact]
    public async Task A_container_build_of_a_missing_image_fails_in_provisioning_and_says_how_to_get_the_image()
    {
        await ProjectAsync("flask-app-missing-image", "type=LINUX_CONTAINER,image=cairn-e2e/not-here:0,computeType=BUILD_GENERAL1_SMALL", policyAttached: true);

        var build = await seeds.RunBuildAsync("--project-name", "flask-app-missing-image");

        var provisioning = Phase(build, "PROVISIONING");
        Assert.Equal("FAILED", provisioning["phaseStatus"]!.GetValue<string>());
        Assert.Contains("cairn-e2e/not-here:0 is not on the Cairn host", provisioning["contexts"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
