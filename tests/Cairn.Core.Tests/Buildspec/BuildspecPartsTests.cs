using System.Text.Json;
using Cairn.Core.Buildspec;

namespace Cairn.Core.Tests.Buildspec;

public sealed class BuildspecPartsTests
{
    public static TheoryData<string, DynamicReferenceKind, string, long?> WellFormedReferences => new()
    {
        { "{{resolve:ssm:name}}", DynamicReferenceKind.Ssm, "name", null },
        { "{{resolve:ssm:/a/b/c:12}}", DynamicReferenceKind.Ssm, "/a/b/c", 12 },
        { "{{resolve:ssm-secure:my.secret-1_x}}", DynamicReferenceKind.SsmSecure, "my.secret-1_x", null },
        { "{{resolve:secretsmanager:prod/app:SecretString:password}}", DynamicReferenceKind.SecretsManager, "prod/app:SecretString:password", null },
    };

    [Theory]
    [MemberData(nameof(WellFormedReferences))]
    public void Dynamic_references_are_recognised(string text, DynamicReferenceKind kind, string name, long? version)
    {
        var reference = Assert.Single(DynamicReference.FindAll($"x{text}y"));

        Assert.Equal((kind, name, version, text, 1, text.Length), (reference.Kind, reference.Name, reference.Version, reference.Text, reference.Start, reference.Length));
        Assert.Empty(DynamicReference.FindMalformed($"x{text}y"));
    }

    [Theory]
    [InlineData("{{resolve:ssm:}}")]
    [InlineData("{{resolve:ssm:name:latest}}")]
    [InlineData("{{resolve:ssm:name:0}}")]
    [InlineData("{{resolve:ssm:bad name}}")]
    [InlineData("{{resolve:ssm:unterminated")]
    [InlineData("{{resolve:vault:name}}")]
    public void Malformed_references_are_not_resolved_but_reported(string text)
    {
        Assert.Empty(DynamicReference.FindAll(text));
        Assert.Equal([text], DynamicReference.FindMalformed(text));
    }

    [Fact]
    public void Values_without_references_have_none()
    {
        Assert.Empty(DynamicReference.FindAll("{{ not a reference }}"));
        Assert.Empty(DynamicReference.FindMalformed("plain"));
    }

    [Theory]
    [InlineData("make\nmake test\n", "make")]
    [InlineData("a\n\n# comment\nb\n", "a")]
    [InlineData("for f in *.txt; do\n  cat $f\ndone\necho done\n", "for f in *.txt; do")]
    [InlineData("for f in *.txt; do\n  cat $f\n  rm $f\ndone\n", "cat $f")]
    [InlineData("make\nif true; then\n  echo\nfi\n", "make")]
    [InlineData("if a; then b; fi\nmake\n", "if a; then b; fi")]
    [InlineData("echo logging in\nmake\n", "echo logging in")]
    [InlineData("if [ -f x ]\nthen\n  a\n  b\nfi\n", "a")]
    [InlineData("for f in *; do rm $f; done > log\nmake\n", "for f in *; do rm $f; done > log")]
    [InlineData("case $X in\n  a) echo a ;;\nesac\necho after\n", "case $X in")]
    public void Scripts_with_several_statements_hide_the_first_failure(string script, string hidden)
    {
        Assert.Equal(hidden, ShellScript.FirstHiddenFailure(script));
    }

    [Theory]
    [InlineData("make\n")]
    [InlineData("set -e\nmake\nmake test\n")]
    [InlineData("set -o errexit\nmake\nmake test\n")]
    [InlineData("make \\\n  all\n")]
    [InlineData("make ||\n  exit 1\n")]
    [InlineData("cat <<'EOF' > f\nline one\nline two\nEOF\n")]
    [InlineData("if [ -n \"$X\" ]; then\n  make\nelse\n  make other\nfi\n")]
    [InlineData("if a; then\n  b\nelif c; then\n  d\nfi\n")]
    [InlineData("case $X in\n  a) make a ;;\n  b)\n    make b\n    ;;\nesac\n")]
    [InlineData("while read line; do\n  echo $line\ndone < file\n")]
    public void Scripts_with_one_statement_or_set_e_hide_nothing(string script)
    {
        Assert.Null(ShellScript.FirstHiddenFailure(script));
    }

    [Theory]
    [InlineData("cd src", "src", false)]
    [InlineData("cd 'my dir'", "my dir", false)]
    [InlineData("cd -P src", "src", false)]
    [InlineData("if true; then cd src; fi", "src", false)]
    [InlineData("cd $CODEBUILD_SRC_DIR", ".", true)]
    [InlineData("cd \"${CODEBUILD_SRC_DIR}/app\"", "app", true)]
    [InlineData("cd", null, false)]
    [InlineData("cd ~/x", null, false)]
    [InlineData("cd /opt", null, false)]
    [InlineData("cd $DIR", null, false)]
    [InlineData("cd dir*", null, false)]
    public void Cd_targets_are_read_from_commands(string command, string? path, bool fromRoot)
    {
        var target = Assert.Single(ShellScript.CdTargets(command));

        Assert.Equal((path, fromRoot), (target.Path, target.FromRoot));
    }

    [Fact]
    public void Cd_targets_are_found_in_chains_in_order()
    {
        Assert.Equal(["a", "b"], ShellScript.CdTargets("cd a && make; cd b || true").Select(t => t.Path));
        Assert.Empty(ShellScript.CdTargets("echo 'cd a && cd b'"));
    }

    [Theory]
    [InlineData("comands", "commands")]
    [InlineData("pre-build", "pre_build")]
    [InlineData("PostBuild", "post_build")]
    [InlineData("environment", "env")]
    [InlineData("xyzzy", null)]
    public void Did_you_mean_finds_the_closest_known_key(string input, string? expected)
    {
        string[] known = ["commands", "pre_build", "post_build", "env", "finally"];

        Assert.Equal(expected, DidYouMean.Suggest(input, known));
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("same", "same", 0)]
    [InlineData("sample_python_app", "simple_python_app", 1)]
    public void Levenshtein_distance_counts_edits(string a, string b, int distance)
    {
        Assert.Equal(distance, DidYouMean.Distance(a, b));
    }

    private static readonly BuildspecDiagnostic[] Sample =
    [
        new(DiagnosticSeverity.Error, "BS005", "Expected Commands[0] to be of string type: found subkeys instead at line 5, value of the key tag on line 4 might be empty",
            new SourceLocation(5, 9), "put the whole command in quotes", "YAML_FILE_ERROR"),
        new(DiagnosticSeverity.Warning, "BS103", "docker push in post_build runs even when the build phase failed", new SourceLocation(9, 9), "guard it"),
    ];

    [Fact]
    public void Text_output_reads_like_a_compiler()
    {
        var text = BuildspecDiagnosticFormatter.FormatText("buildspec.yml", Sample);

        Assert.Equal(
            "buildspec.yml:5:9: error BS005: YAML_FILE_ERROR: Expected Commands[0] to be of string type: found subkeys instead at line 5, value of the key tag on line 4 might be empty\n"
            + "  hint: put the whole command in quotes\n"
            + "buildspec.yml:9:9: warning BS103: docker push in post_build runs even when the build phase failed\n"
            + "  hint: guard it\n",
            text);
    }

    [Fact]
    public void Json_output_has_every_field()
    {
        using var json = JsonDocument.Parse(BuildspecDiagnosticFormatter.FormatJson("buildspec.yml", Sample));

        var root = json.RootElement;
        Assert.Equal("buildspec.yml", root.GetProperty("file").GetString());
        Assert.Equal((1, 1), (root.GetProperty("errors").GetInt32(), root.GetProperty("warnings").GetInt32()));
        var first = root.GetProperty("diagnostics")[0];
        Assert.Equal("error", first.GetProperty("severity").GetString());
        Assert.Equal("BS005", first.GetProperty("code").GetString());
        Assert.Equal((5, 9), (first.GetProperty("line").GetInt32(), first.GetProperty("column").GetInt32()));
        Assert.Equal("put the whole command in quotes", first.GetProperty("hint").GetString());
        Assert.Equal("YAML_FILE_ERROR", first.GetProperty("awsStatusCode").GetString());
        Assert.False(root.GetProperty("diagnostics")[1].TryGetProperty("awsStatusCode", out _));
    }

    [Fact]
    public void Json_output_keeps_quotes_readable()
    {
        var json = BuildspecDiagnosticFormatter.FormatJson("b.yml", [new BuildspecDiagnostic(DiagnosticSeverity.Warning, "BS113", "no directory 'x'", new SourceLocation(1, 1))]);

        Assert.Contains("\"message\": \"no directory 'x'\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_code_in_the_table_is_unique_and_described()
    {
        var codes = BuildspecDiagnosticCodes.All.Select(c => c.Key).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(BuildspecDiagnosticCodes.All, c => Assert.False(string.IsNullOrWhiteSpace(c.Value)));
        var declared = typeof(BuildspecDiagnosticCodes).GetFields()
            .Where(f => f.IsLiteral && f.Name != nameof(BuildspecDiagnosticCodes.YamlFileError))
            .Select(f => (string)f.GetRawConstantValue()!);
        Assert.Equal(declared.Order(), codes.Order());
    }
}
