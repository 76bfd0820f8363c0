using Cairn.Core.Buildspec;
using static Cairn.Core.Buildspec.BuildspecDiagnosticCodes;

namespace Cairn.Core.Tests.Buildspec;

public sealed class UndefinedVariableLintTests
{
    private static List<string> Undefined(string commands, string env = "", LintOptions? options = null, string version = "0.2")
    {
        var yaml = $"version: {version}\n{env}phases:\n  build:\n    commands:\n      {commands}\n";
        return [.. BuildspecLinter.Lint(yaml, options).Diagnostics.Where(d => d.Code == UndefinedVariable).Select(d => d.Message.Split(' ')[0])];
    }

    public static TheoryData<string, string[]> Cases => new()
    {
        { "- echo $APPLICATION_NAME", ["$APPLICATION_NAME"] },
        { "- echo ${APPLICATION_NAME}:latest \"$TAG\"", ["$APPLICATION_NAME", "$TAG"] },
        { "- echo $CODEBUILD_BUILD_NUMBER $CODEBUILD_SRC_DIR $AWS_REGION $AWS_ACCOUNT_ID $HOME $PATH", [] },
        { "- echo '$NOT_EXPANDED' \\$ESCAPED # $IN_A_COMMENT", [] },
        { "- echo ${TAG:-latest} ${TAG-x} ${TAG:=y} ${TAG:+z} ${TAG:?set TAG}", [] },
        { "- echo $1 $@ $? $$ $# ${10}", [] },
        { "- TAG=1.0\n      - echo $TAG", [] },
        { "- export TAG=1.0 && echo $TAG", [] },
        { "- echo $TAG; TAG=1.0", ["$TAG"] },
        { "- for f in *.txt; do echo $f; done", [] },
        { "- read -r first second < file && echo $first $second", [] },
        { "- COMMIT=$(git rev-parse HEAD)\n      - echo $COMMIT", [] },
        { "- . ./env.sh\n      - echo $FROM_THE_FILE", [] },
        { "- echo $ONE $ONE $ONE", ["$ONE"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Variables_used_in_commands_that_nothing_defines_are_warned_about(string commands, string[] expected)
    {
        Assert.Equal(expected, Undefined(commands));
    }

    [Fact]
    public void Variables_from_every_env_section_count_as_defined()
    {
        var env = "env:\n  variables:\n    A: x\n  parameter-store:\n    B: /b\n  exported-variables:\n    - C\n";

        Assert.Empty(Undefined("- echo $A $B $C", env));
    }

    [Fact]
    public void Project_and_override_variables_the_caller_knows_count_as_defined()
    {
        Assert.Empty(Undefined("- echo $FROM_PROJECT", options: new LintOptions { KnownVariables = ["FROM_PROJECT"] }));
    }

    [Fact]
    public void Version_0_1_forgets_assignments_between_commands()
    {
        Assert.Equal(["$TAG"], Undefined("- TAG=1\n      - echo $TAG", version: "0.1"));
    }

    [Fact]
    public void A_misspelt_variable_gets_did_you_mean()
    {
        var yaml = "version: 0.2\nenv:\n  variables:\n    IMAGE_NAME: app\nphases:\n  build:\n    commands:\n      - echo $IMAGE_NAEM\n";

        var diagnostic = Assert.Single(BuildspecLinter.Lint(yaml).Diagnostics);

        Assert.Equal((UndefinedVariable, DiagnosticSeverity.Warning, 8), (diagnostic.Code, diagnostic.Severity, diagnostic.Location.Line));
        Assert.Equal("did you mean $IMAGE_NAME?", diagnostic.Hint);
    }
}
