using Cairn.Core.Secrets;

namespace Cairn.Server.Tests.SecretsManager;

/// <summary>GetRandomPassword: AWS's defaults, each option, the errors when the options leave nothing, and its permission.</summary>
public sealed class RandomPasswordTests : SecretsManagerFixture
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";

    [Fact]
    public async Task The_default_is_32_characters_with_each_type_and_only_AWSs_characters()
    {
        var passwords = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            passwords.Add(await PasswordAsync("{}"));
        }

        Assert.All(passwords, p =>
        {
            Assert.Equal(32, p.Length);
            Assert.Contains(p, c => Lower.Contains(c, StringComparison.Ordinal));
            Assert.Contains(p, c => Upper.Contains(c, StringComparison.Ordinal));
            Assert.Contains(p, c => Digits.Contains(c, StringComparison.Ordinal));
            Assert.Contains(p, c => RandomPassword.Punctuation.Contains(c, StringComparison.Ordinal));
            Assert.DoesNotContain(' ', p);
            Assert.All(p, c => Assert.True(c is > ' ' and < (char)127, $"{(int)c} is not printable ASCII"));
        });
        Assert.Equal(passwords.Count, passwords.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(32, RandomPassword.Punctuation.Length);
    }

    [Fact]
    public async Task Exclusions_and_space_are_honoured_at_the_longest_length()
    {
        var excluded = await PasswordAsync("""{"PasswordLength":4096,"ExcludeCharacters":"aeiouAEIOU01/\\\"'@","IncludeSpace":true}""");
        var digitsOnly = await PasswordAsync("""{"PasswordLength":64,"ExcludeLowercase":true,"ExcludeUppercase":true,"ExcludePunctuation":true}""");
        var lettersOnly = await PasswordAsync("""{"PasswordLength":1,"ExcludeNumbers":true,"ExcludePunctuation":true,"ExcludeUppercase":true}""");
        var unrequired = await PasswordAsync("""{"PasswordLength":2,"RequireEachIncludedType":false}""");

        Assert.Equal(4096, excluded.Length);
        Assert.DoesNotContain(excluded, c => "aeiouAEIOU01/\\\"'@".Contains(c, StringComparison.Ordinal));
        Assert.Contains(' ', excluded);
        Assert.Matches("^[0-9]{64}$", digitsOnly);
        Assert.Matches("^[a-z]$", lettersOnly);
        Assert.Equal(2, unrequired.Length);
    }

    [Fact]
    public async Task Options_that_leave_no_characters_or_too_few_for_each_type_are_InvalidParameter()
    {
        var none = await FailAsync("GetRandomPassword", """{"ExcludeNumbers":true,"ExcludePunctuation":true,"ExcludeUppercase":true,"ExcludeLowercase":true}""");
        var allExcluded = await FailAsync("GetRandomPassword", $$"""{"ExcludeCharacters":"{{Lower}}{{Upper}}{{Digits}}","ExcludePunctuation":true}""");
        var tooShort = await FailAsync("GetRandomPassword", """{"PasswordLength":3}""");
        var tooLong = await FailAsync("GetRandomPassword", """{"PasswordLength":4097}""");

        Assert.Equal("InvalidParameterException", none.Code);
        Assert.Contains("leave no characters", none.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidParameterException", allExcluded.Code);
        Assert.Equal("InvalidParameterException", tooShort.Code);
        Assert.Contains("Make PasswordLength at least 4", tooShort.Message, StringComparison.Ordinal);
        Assert.Equal("ValidationException", tooLong.Code);
    }

    [Fact]
    public async Task A_type_with_every_character_excluded_is_not_required()
    {
        var password = await PasswordAsync($$"""{"PasswordLength":3,"ExcludeCharacters":"{{Digits}}"}""", Root);

        Assert.Equal(3, password.Length);
        Assert.DoesNotContain(password, c => Digits.Contains(c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_call_needs_secretsmanager_GetRandomPassword()
    {
        var without = await UserAsync(Allow("""["secretsmanager:GetSecretValue"]"""));
        var with = await UserAsync(Allow("""["secretsmanager:GetRandomPassword"]"""));

        var denied = await FailAsync("GetRandomPassword", "{}", without);
        var allowed = await PasswordAsync("{}", with);

        Assert.Equal("AccessDeniedException", denied.Code);
        Assert.Contains("secretsmanager:GetRandomPassword", denied.Message, StringComparison.Ordinal);
        Assert.Equal(32, allowed.Length);
    }

    private async Task<string> PasswordAsync(string json, Cairn.Core.Identity.RequestContext? context = null) =>
        (await CallAsync("GetRandomPassword", json, context))["RandomPassword"]!.GetValue<string>();
}
