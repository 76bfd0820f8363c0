using Cairn.Core.Buildspec;
using Cairn.Core.Parameters.Naming;

namespace Cairn.Core.Tests.Buildspec;

/// <summary>BS119: parameter-store, secrets-manager and {{resolve:ssm:...}} names against the naming rules given to the linter.</summary>
public sealed class NamingLintTests
{
    private const string Buildspec = """
        version: 0.2
        env:
          variables:
            URL: "{{resolve:ssm:/prod/BadName}}"
          parameter-store:
            GOOD: /prod/app_db_password
            ROOT: SomeRootName
          secrets-manager:
            TOKEN: prod/Token-Thing:token
        phases:
          build:
            commands:
              - echo "$GOOD $ROOT $TOKEN $URL"
        """;

    private static NamingRule Rule(string prefix, string pattern) => new("000000000000", prefix, pattern, NamingMode.Enforce, null, DateTimeOffset.UnixEpoch, "test");

    private static List<BuildspecDiagnostic> Naming(params NamingRule[] rules) =>
        [.. BuildspecLinter.Lint(Buildspec, new LintOptions { NamingRules = rules }).Diagnostics.Where(d => d.Code == BuildspecDiagnosticCodes.NamingRule)];

    [Fact]
    public void The_rule_of_the_longest_prefix_judges_each_reference_and_names_what_fits()
    {
        var found = Naming(Rule("/", "{app:lower}_{kind:lower}"), Rule("/prod/", "{app:lower}_{kind:lower}_{detail:lower}"));

        var three = NamingPattern.Parse("{app:lower}_{kind:lower}_{detail:lower}").Example();
        var two = NamingPattern.Parse("{app:lower}_{kind:lower}").Example();
        Assert.Equal(
            string.Join('\n',
                $"parameter /prod/BadName does not follow the naming rule '{{app:lower}}_{{kind:lower}}_{{detail:lower}}' for names under /prod/ (e.g. {three})",
                $"parameter SomeRootName does not follow the naming rule '{{app:lower}}_{{kind:lower}}' (e.g. {two})",
                $"secret prod/Token-Thing does not follow the naming rule '{{app:lower}}_{{kind:lower}}_{{detail:lower}}' for names under /prod/ (e.g. {three})"),
            string.Join('\n', found.Select(d => d.Message).Order(StringComparer.Ordinal)));
        Assert.All(found, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.DoesNotContain(found, d => d.Message.Contains("app_db_password", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_rules_nothing_is_checked_and_a_regex_rule_works_too()
    {
        Assert.DoesNotContain(BuildspecLinter.Lint(Buildspec).Diagnostics, d => d.Code == BuildspecDiagnosticCodes.NamingRule);
        var found = Naming(Rule("/", "regex:[a-z/_-]+"));
        Assert.Equal(3, found.Count);
    }
}
