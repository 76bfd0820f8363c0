using Cairn.Core.Errors;
using Cairn.Core.Parameters.Naming;

namespace Cairn.Core.Tests.Parameters;

public sealed class NamingPatternTests
{
    [Theory]
    // The first seed's convention, any case: all three of its names fit.
    [InlineData("{app}_{kind}_{detail}", "my_app_Docker_credentials_username", true)]
    [InlineData("{app}_{kind}_{detail}", "my_app_Docker_registry_URL", true)]
    [InlineData("{app}_{kind}_{detail}", "my-app-docker-credentials-username", false)]
    [InlineData("{app}_{kind}_{detail}", "MyAppPassword", false)]
    [InlineData("{app}_{kind}_{detail}", "my_app", false)]
    // The same convention with its case rules: the seed's URL name breaks it.
    [InlineData("{app:lower}_{kind:title}_{detail:lower}", "my_app_Docker_credentials_username", true)]
    [InlineData("{app:lower}_{kind:title}_{detail:lower}", "my_app_Docker_credentials_password", true)]
    [InlineData("{app:lower}_{kind:title}_{detail:lower}", "my_app_Docker_registry_URL", false)]
    // The second seed's convention.
    [InlineData("{app:lower}-{kind:lower}-{detail:lower}", "my-app-docker-credentials-username", true)]
    [InlineData("{app:lower}-{kind:lower}-{detail:lower}", "my-app-docker-registry-url", true)]
    [InlineData("{app:lower}-{kind:lower}-{detail:lower}", "my_app_Docker_credentials_username", false)]
    [InlineData("{app:lower}-{kind:lower}-{detail:lower}", "my-app-Docker-credentials-username", false)]
    [InlineData("{env:lower}/{app:lower}-{detail:lower}", "prod/web-db-password", true)]
    [InlineData("{env:lower}/{app:lower}-{detail:lower}", "web-db-password", false)]
    [InlineData("{app:upper}_{detail:upper}", "DB_ADMIN_PASSWORD", true)]
    [InlineData("{app:upper}_{detail:upper}", "db_password", false)]
    // Without a separator in the template a part is one word.
    [InlineData("{name:upper}", "DBPASSWORD", true)]
    [InlineData("{name:upper}", "DB_PASSWORD", false)]
    [InlineData("regex:[a-z]+(-[a-z]+)*", "my-app-docker", true)]
    [InlineData("regex:[a-z]+(-[a-z]+)*", "my-app-docker-X", false)]
    [InlineData("regex:[a-z]+", "prefix-abc", false)]
    public void A_pattern_takes_the_names_that_fit_it(string pattern, string name, bool fits) =>
        Assert.Equal(fits, NamingPattern.Parse(pattern).IsMatch(name));

    [Theory]
    [InlineData("{app}_{kind}_{detail}", "my_app_Docker_credentials_password")]
    [InlineData("{app:lower}-{kind:lower}-{detail:lower}", "my-app-docker-credentials-password")]
    [InlineData("{app:lower}_{kind:title}_{detail:lower}", "my_app_Docker_credentials_password")]
    [InlineData("{env:lower}/{app:lower}-{detail:lower}", "prod/my-app-credentials-password")]
    public void A_template_makes_an_example_that_fits_it(string pattern, string example)
    {
        var compiled = NamingPattern.Parse(pattern);

        Assert.Equal(example, compiled.Example());
        Assert.True(compiled.IsMatch(example));
    }

    [Theory]
    [InlineData("{app:lower}_{kind:title}_{detail:lower}", "my_app_Docker_registry_URL", "my_app_Docker_registry_url")]
    [InlineData("{app:lower}-{kind:lower}-{detail:lower}", "my_app_Docker_credentials_username", "my-app-docker-credentials-username")]
    [InlineData("{app}_{kind}_{detail}", "MyAppPassword", "My_App_Password")]
    [InlineData("{app:lower}_{kind:title}_{detail:lower}", "my", null)]
    public void A_name_that_breaks_a_template_gets_the_closest_name_that_fits(string pattern, string name, string? suggestion)
    {
        var compiled = NamingPattern.Parse(pattern);

        Assert.Equal(suggestion, compiled.Suggest(name));
    }

    [Fact]
    public void A_regular_expression_has_no_example_or_suggestion_of_its_own()
    {
        var compiled = NamingPattern.Parse("regex:[a-z]+");

        Assert.Null(compiled.Example());
        Assert.Null(compiled.Suggest("ABC"));
    }

    [Theory]
    [InlineData("", "1 to 1024 characters")]
    [InlineData("{app}{kind}", "separated by a literal")]
    [InlineData("{app}_{kind", "no closing")]
    [InlineData("app}", "never opened")]
    [InlineData("{app:camel}", "use any, lower, upper or title")]
    [InlineData("{app}_{app}", "appears twice")]
    [InlineData("{}", "needs a name")]
    [InlineData("my_app", "at least one part")]
    [InlineData("{app} {kind}", "cannot be in a parameter name")]
    [InlineData("regex:[a-z", "does not compile")]
    public void A_bad_pattern_is_a_validation_error_that_says_what_is_wrong(string pattern, string reason)
    {
        var error = Assert.Throws<AwsException>(() => NamingPattern.Parse(pattern));

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/prod/", true)]
    [InlineData("/prod/app.v1/", true)]
    [InlineData("prod/", false)]
    [InlineData("/prod", false)]
    [InlineData("//", false)]
    [InlineData("/pr od/", false)]
    public void A_path_prefix_starts_and_ends_with_a_slash(string prefix, bool valid) =>
        Assert.Equal(valid, NamingRule.IsValidPathPrefix(prefix));

    [Fact]
    public void The_rule_with_the_longest_covering_prefix_governs_a_name()
    {
        var time = DateTimeOffset.UnixEpoch;
        NamingRule[] rules =
        [
            new("1", "/", "{a}_{b}", NamingMode.Warn, null, time, "u"),
            new("1", "/prod/", "{a}-{b}", NamingMode.Enforce, null, time, "u"),
        ];

        Assert.Equal("/prod/", NamingRule.For(rules, "prod/x-y")!.PathPrefix);
        Assert.Equal("x-y", NamingRule.For(rules, "prod/x-y")!.SubjectOf("prod/x-y"));
        Assert.Equal("/", NamingRule.For(rules, "production_x")!.PathPrefix);
        Assert.Equal("my_app_x", NamingRule.For(rules, "my_app_x")!.SubjectOf("my_app_x"));
    }
}
