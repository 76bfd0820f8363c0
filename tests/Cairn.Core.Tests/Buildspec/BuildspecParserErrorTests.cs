using Cairn.Core.Buildspec;

namespace Cairn.Core.Tests.Buildspec;

public sealed class BuildspecParserErrorTests
{
    public sealed record ErrorCase(string Name, string Yaml, string Code, string Message, int Line, int Column, string HintContains)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<ErrorCase> Cases => new()
    {
        new("tab indentation", "version: 0.2\nphases:\n\tbuild:\n    commands: [make]\n", BuildspecDiagnosticCodes.YamlSyntax,
            "found character that cannot start any token at line 3", 3, 1, "tab"),
        new("character that cannot start a token", "version: 0.2\nenv:\n  variables:\n    A: @value\n", BuildspecDiagnosticCodes.YamlSyntax,
            "found character that cannot start any token at line 4", 4, 8, "quoted"),
        new("unclosed flow sequence", "version: 0.2\nphases:\n  build:\n    commands: [make, test\n", BuildspecDiagnosticCodes.YamlSyntax,
            "did not find expected ',' or ']' at line 4", 4, 15, "not closed"),
        new("mapping value inside a plain value", "version: 0.2\nenv: a: b\n", BuildspecDiagnosticCodes.YamlSyntax,
            "mapping values are not allowed in this context at line 2", 2, 7, "quotes"),
        new("unterminated quote", "version: 0.2\nphases:\n  build:\n    commands:\n      - \"echo hi\n", BuildspecDiagnosticCodes.YamlSyntax,
            "found unexpected end of stream at line 5", 5, 9, "quote"),
        new("bad indentation", "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n     - test\n", BuildspecDiagnosticCodes.YamlSyntax,
            "did not find expected key at line 6", 6, 6, "indentation"),
        new("unknown alias", "version: 0.2\nphases:\n  build:\n    commands: *missing\n", BuildspecDiagnosticCodes.YamlSyntax,
            "unknown anchor 'missing' referenced at line 4", 4, 15, "anchor"),
        new("duplicate key", "version: 0.2\nphases:\n  build:\n    commands: [a]\n  build:\n    commands: [b]\n", BuildspecDiagnosticCodes.DuplicateKey,
            "line 5: mapping key \"build\" already defined at line 3", 5, 3, "line 3"),
        new("missing version", "phases:\n  build:\n    commands: [make]\n", BuildspecDiagnosticCodes.InvalidVersion,
            "invalid buildspec `version` specified: , see documentation", 1, 1, "version: 0.2"),
        new("empty file", "", BuildspecDiagnosticCodes.InvalidVersion,
            "invalid buildspec `version` specified: , see documentation", 1, 1, "version: 0.2"),
        new("version 1.0", "version: 1.0\n", BuildspecDiagnosticCodes.InvalidVersion,
            "invalid buildspec `version` specified: 1.0, see documentation", 1, 10, "0.2"),
        new("root is a list", "- version: 0.2\n", BuildspecDiagnosticCodes.TypeMismatch,
            "cannot unmarshal !!seq into map[string]interface {} at line 1", 1, 1, "mapping"),
        new("phase name typo", "version: 0.2\nphases:\n  prebuild:\n    commands: [make]\n", BuildspecDiagnosticCodes.InvalidPhaseName,
            "Invalid buildspec phase name: prebuild. Expecting: build,install,post_build,pre_build", 3, 3, "pre_build"),
        new("artifacts indented under phases", "version: 0.2\nphases:\n  build:\n    commands: [make]\n  artifacts:\n    files: ['**/*']\n", BuildspecDiagnosticCodes.InvalidPhaseName,
            "Invalid buildspec phase name: artifacts. Expecting: build,install,post_build,pre_build", 5, 3, "top-level"),
        new("colon space inside a command", "version: 0.2\n\nphases:\n  build:\n    commands:\n      - echo \"Hello: world\"\n", BuildspecDiagnosticCodes.CommandIsMapping,
            "Expected Commands[0] to be of string type: found subkeys instead at line 6, value of the key tag on line 5 might be empty", 6, 9, "- 'echo \"Hello: world\"'"),
        new("colon space inside a later command", "version: 0.2\nphases:\n  post_build:\n    commands:\n      - make\n      - echo Build completed on: $(date)\n", BuildspecDiagnosticCodes.CommandIsMapping,
            "Expected Commands[1] to be of string type: found subkeys instead at line 6, value of the key tag on line 5 might be empty", 6, 9, "'echo Build completed on: $(date)'"),
        new("colon space inside finally", "version: 0.2\nphases:\n  build:\n    commands: [make]\n    finally:\n      - echo it's: done\n", BuildspecDiagnosticCodes.CommandIsMapping,
            "Expected Finally[0] to be of string type: found subkeys instead at line 6, value of the key tag on line 5 might be empty", 6, 9, "\"echo it's: done\""),
        new("commands is a string", "version: 0.2\nphases:\n  build:\n    commands: make\n", BuildspecDiagnosticCodes.TypeMismatch,
            "cannot unmarshal !!str `make` into []string at line 4", 4, 15, "'- make'"),
        new("nested list command", "version: 0.2\nphases:\n  build:\n    commands:\n      - - make\n", BuildspecDiagnosticCodes.TypeMismatch,
            "cannot unmarshal !!seq into string at line 5", 5, 9, "nested list"),
        new("variable value read as a mapping", "version: 0.2\nenv:\n  variables:\n    GREETING:\n      hello: world\n", BuildspecDiagnosticCodes.TypeMismatch,
            "cannot unmarshal !!map into string at line 5", 5, 7, "quotes"),
        new("variable value is a list", "version: 0.2\nenv:\n  variables:\n    HOSTS: [a, b]\n", BuildspecDiagnosticCodes.TypeMismatch,
            "cannot unmarshal !!seq into string at line 4", 4, 12, "single value"),
        new("env is a string", "version: 0.2\nenv: production\n", BuildspecDiagnosticCodes.TypeMismatch,
            "cannot unmarshal !!str `production` into map[string]interface {} at line 2", 2, 6, "mapping"),
        new("phases is a list", "version: 0.2\nphases:\n  - build\n", BuildspecDiagnosticCodes.TypeMismatch,
            "cannot unmarshal !!seq into map[string]interface {} at line 3", 3, 3, "mapping"),
        new("run-as is a list", "version: 0.2\nrun-as: [a]\n", BuildspecDiagnosticCodes.TypeMismatch,
            "cannot unmarshal !!seq into string at line 2", 2, 9, "single value"),
        new("on-failure lower-level nonsense", "version: 0.2\nphases:\n  build:\n    on-failure: STOP\n    commands: [make]\n", BuildspecDiagnosticCodes.InvalidOnFailure,
            "invalid on-failure value: STOP at line 4", 4, 17, "ABORT"),
        new("on-failure retry with a bad regex", "version: 0.2\nphases:\n  build:\n    on-failure: RETRY-2-(unclosed\n    commands: [make]\n", BuildspecDiagnosticCodes.InvalidOnFailure,
            "invalid on-failure value: RETRY-2-(unclosed at line 4", 4, 17, "regex"),
        new("on-failure retry zero times", "version: 0.2\nphases:\n  build:\n    on-failure: RETRY-0\n    commands: [make]\n", BuildspecDiagnosticCodes.InvalidOnFailure,
            "invalid on-failure value: RETRY-0 at line 4", 4, 17, "RETRY-<count>"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Buildspec_CodeBuild_rejects_gives_its_message_location_and_a_hint(ErrorCase error)
    {
        var result = BuildspecParser.Parse(error.Yaml);

        Assert.False(result.Succeeded);
        Assert.Null(result.Document);
        var diagnostic = result.Errors[0];
        Assert.Equal(error.Code, diagnostic.Code);
        Assert.Equal(error.Message, diagnostic.Message);
        Assert.Equal(new SourceLocation(error.Line, error.Column), diagnostic.Location);
        Assert.Equal(BuildspecDiagnosticCodes.YamlFileError, diagnostic.AwsStatusCode);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(error.HintContains, diagnostic.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_or_throw_carries_the_phase_context_status_code_and_message()
    {
        var error = Assert.Throws<BuildspecException>(() => BuildspecParser.ParseOrThrow("version: 0.2\nphases:\n  build:\n    commands:\n      - echo a: b\n"));

        Assert.Equal("YAML_FILE_ERROR", error.StatusCode);
        Assert.StartsWith("Expected Commands[0] to be of string type", error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(5, 9), error.Location);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void Every_error_in_the_file_is_reported_not_just_the_first()
    {
        var result = BuildspecParser.Parse("version: 0.2\nphases:\n  build:\n    commands:\n      - echo a: b\n      - echo c: d\n  deploy:\n    commands: [x]\n");

        Assert.Equal(
            [BuildspecDiagnosticCodes.CommandIsMapping, BuildspecDiagnosticCodes.CommandIsMapping, BuildspecDiagnosticCodes.InvalidPhaseName],
            result.Errors.Select(e => e.Code));
        Assert.Equal([5, 6, 7], result.Errors.Select(e => e.Location.Line));
    }

    [Fact]
    public void Only_what_CodeBuild_rejects_is_a_parse_error()
    {
        var result = BuildspecParser.Parse("version: 0.2\nenvironment:\n  variables:\n    A: b\nphases:\n  build:\n    comands: [make]\n");

        Assert.True(result.Succeeded);
        Assert.Empty(result.Errors);
    }
}
