using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Passwords;

namespace Cairn.Core.Tests.Identity;

public sealed class PasswordRulesTests
{
    private static readonly PasswordPolicy Strict = new(12, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true);

    [Theory]
    [InlineData("Abcdefg1", true)]      // upper, lower, number
    [InlineData("abcdef1!", true)]      // lower, number, symbol
    [InlineData("abcdefgh1", false)]    // two types
    [InlineData("Ab1!", false)]         // too short
    [InlineData("ABCDEFG1~", false)]    // ~ is no symbol to IAM
    public void Without_a_policy_IAMs_default_rules_apply(string password, bool accepted)
    {
        Assert.Equal(accepted, PasswordRules.Violations(null, password).Count == 0);
    }

    [Theory]
    [InlineData("Abcdefghij1!", "")]
    [InlineData("Abcdefgh1!", "Password should have a minimum length of 12")]
    [InlineData("abcdefghij1!", "Password should have at least one uppercase letter")]
    [InlineData("ABCDEFGHIJ1!", "Password should have at least one lowercase letter")]
    [InlineData("Abcdefghijk!", "Password should have at least one number")]
    [InlineData("Abcdefghijk1", "Password should have at least one symbol (!@#$%^&*()_+-=[]{}|')")]
    public void A_policy_names_each_rule_a_password_breaks(string password, string expected)
    {
        Assert.Equal(expected, string.Join("; ", PasswordRules.Violations(Strict, password)));
    }

    [Fact]
    public void Every_broken_rule_is_named_in_one_PasswordPolicyViolation()
    {
        var error = Assert.Throws<AwsException>(() => PasswordRules.Enforce(Strict, "abc"));

        Assert.Equal("PasswordPolicyViolation", error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal(
            "Password should have a minimum length of 12; Password should have at least one uppercase letter; Password should have at least one number; "
            + "Password should have at least one symbol (!@#$%^&*()_+-=[]{}|')",
            error.Message);
    }

    [Fact]
    public void A_policy_without_requirements_asks_only_for_its_length()
    {
        PasswordRules.Enforce(new PasswordPolicy(6), "aaaaaa");
        Assert.Throws<AwsException>(() => PasswordRules.Enforce(new PasswordPolicy(6), "aaaaa"));
    }

    [Fact]
    public void A_password_expires_after_MaxPasswordAge_days()
    {
        var changed = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var policy = new PasswordPolicy(MaxPasswordAge: 30);

        Assert.False(policy.IsExpired(changed, changed.AddDays(29)));
        Assert.True(policy.IsExpired(changed, changed.AddDays(30)));
        Assert.False(new PasswordPolicy().IsExpired(changed, changed.AddYears(5)));
    }
}
