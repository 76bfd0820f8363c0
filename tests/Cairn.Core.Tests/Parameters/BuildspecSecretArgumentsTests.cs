using Cairn.Core.Parameters.Hygiene;

namespace Cairn.Core.Tests.Parameters;

public sealed class BuildspecSecretArgumentsTests
{
    private static readonly HashSet<string> Secrets = ["DOCKER_PASSWORD", "API_TOKEN"];

    [Fact]
    public void Docker_login_with_a_password_argument_is_found_with_the_password_stdin_form()
    {
        const string Buildspec = """
            version: 0.2
            phases:
              pre_build:
                commands:
                  - docker login -u $DOCKER_USERNAME -p $DOCKER_PASSWORD $DOCKER_REGISTRY_URL
            """;

        var use = Assert.Single(BuildspecSecretArguments.Find(Buildspec, Secrets));

        Assert.Equal(5, use.Line);
        Assert.Equal("DOCKER_PASSWORD", use.Variable);
        Assert.Equal("echo \"$DOCKER_PASSWORD\" | docker login -u $DOCKER_USERNAME $DOCKER_REGISTRY_URL --password-stdin", use.Fix);
    }

    [Fact]
    public void A_literal_password_is_hidden_in_what_the_finding_shows()
    {
        var use = Assert.Single(BuildspecSecretArguments.Find("- docker login --password hunter2 registry.example", Secrets));

        Assert.DoesNotContain("hunter2", use.Shown, StringComparison.Ordinal);
        Assert.Contains("***", use.Shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- curl -u ci:$API_TOKEN https://api.example/deploy", "API_TOKEN")]
    [InlineData("- tool publish --token $API_TOKEN", "API_TOKEN")]
    [InlineData("- mysql -p$DOCKER_PASSWORD -h db", "DOCKER_PASSWORD")]
    public void A_secret_variable_passed_as_an_argument_is_found(string line, string variable) =>
        Assert.Equal(variable, Assert.Single(BuildspecSecretArguments.Find(line, Secrets)).Variable);

    [Theory]
    [InlineData("- echo \"$DOCKER_PASSWORD\" | docker login -u $DOCKER_USERNAME --password-stdin $DOCKER_REGISTRY_URL")]
    [InlineData("- docker push $DOCKER_REGISTRY_URL/$DOCKER_USERNAME/app:latest")]
    [InlineData("- tool publish --token $BUILD_NUMBER")]
    [InlineData("- docker build -t $DOCKER_REGISTRY_URL/$DOCKER_USERNAME/app .")]
    public void Safe_commands_and_non_secret_arguments_are_not_findings(string line) =>
        Assert.Empty(BuildspecSecretArguments.Find(line, Secrets));
}
