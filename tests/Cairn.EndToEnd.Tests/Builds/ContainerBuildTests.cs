using System.Text.Json.Nodes;
using Cairn.EndToEnd.Tests.Infrastructure;

namespace Cairn.EndToEnd.Tests.Builds;

/// <summary>A LINUX_CONTAINER build's environment: the image, the source at CODEBUILD_SRC_DIR, the role's credentials, exported variables.</summary>
public sealed class ContainerBuildTests(SeedsFixture cairn) : IClassFixture<SeedsFixture>
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private const string Buildspec = """
        version: 0.2
        env:
          exported-variables:
            - IMAGE_URI
        phases:
          build:
            commands:
              - cat /etc/passwd
              - test -f "$CODEBUILD_SRC_DIR/buildspec.yml" && echo "source is at $CODEBUILD_SRC_DIR"
              - test -n "$AWS_SESSION_TOKEN" && echo "role session for $AWS_ENDPOINT_URL"
              - export IMAGE_URI=registry.example/app:$CODEBUILD_BUILD_NUMBER
        """;

    [Fact]
    public async Task Commands_run_in_the_image_with_the_source_and_the_role_and_exported_variables_come_back()
    {
        await cairn.Aws.OkAsync("iam", "create-role", "--role-name", "container-role", "--assume-role-policy-document", Trust);
        await cairn.Aws.OkAsync("codebuild", "create-project", "--name", "container-env",
            "--source", $"type=GITHUB,location={cairn.RepositoryUrl}",
            "--artifacts", "type=NO_ARTIFACTS",
            "--environment", $"type=LINUX_CONTAINER,image={DockerHost.BaseImage},computeType=BUILD_GENERAL1_SMALL",
            "--service-role", "arn:aws:iam::000000000000:role/container-role");

        var build = await cairn.RunBuildAsync("--project-name", "container-env", "--buildspec-override", Buildspec);

        var log = await cairn.LogAsync(build);
        Assert.True(build["buildStatus"]!.GetValue<string>() == "SUCCEEDED", log);
        Assert.Contains("root:x:0:0:root:/root:/bin/sh\n", log, StringComparison.Ordinal);
        Assert.Contains("source is at /", log, StringComparison.Ordinal);
        Assert.Contains("role session for http://127.0.0.1:", log, StringComparison.Ordinal);
        var exported = Assert.Single(build["exportedEnvironmentVariables"]!.AsArray())!;
        Assert.Equal(("IMAGE_URI", "registry.example/app:1"), (exported["name"]!.GetValue<string>(), exported["value"]!.GetValue<string>()));
    }
}
