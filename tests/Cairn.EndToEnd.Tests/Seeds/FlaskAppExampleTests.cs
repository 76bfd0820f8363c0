using Cairn.EndToEnd.Tests.Infrastructure;
using Cairn.Runner.Processes;

namespace Cairn.EndToEnd.Tests.Seeds;

/// <summary>examples/flask-app runs offline as its README says: the base image is overridable and named in the build output.</summary>
public sealed class FlaskAppExampleTests
{
    private static string Example => Path.Combine(SeedsFixture.RepositoryRoot(), "examples", "flask-app");

    [Fact]
    public async Task The_dockerfile_builds_on_a_local_base_image_and_names_it_when_it_has_no_pip()
    {
        await DockerHost.RequireAsync();
        var tag = $"cairn-e2e/flask-example:{Guid.NewGuid():N}";
        try
        {
            var build = await ToolProcess.RunAsync("docker",
                ["build", "--no-cache", "--build-arg", $"BASE_IMAGE={DockerHost.BaseImage}", "-t", tag, "."],
                Path.Combine(Example, "day14", "simple_python_app"));

            Assert.True(build.Succeeded, build.Output);
            Assert.Contains($"no pip in {DockerHost.BaseImage}: skipping pip install", build.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("no pip in :", build.Output, StringComparison.Ordinal);
        }
        finally
        {
            await ToolProcess.RunAsync("docker", ["image", "rm", "--force", tag]);
        }
    }

    [Fact]
    public async Task The_readme_sets_the_region_the_way_aws_cli_v1_reads_it_and_shows_how_to_override_the_base_image()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Example, "README.md"));

        Assert.Contains("AWS_DEFAULT_REGION=us-east-1", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("AWS_REGION=", readme, StringComparison.Ordinal);
        Assert.Contains("environmentVariables=[{name=BASE_IMAGE,value=", readme, StringComparison.Ordinal);
        Assert.Contains("--environment-variables-override name=BASE_IMAGE,value=", readme, StringComparison.Ordinal);
        Assert.Contains("cairn build --env-file", readme, StringComparison.Ordinal);
    }
}
