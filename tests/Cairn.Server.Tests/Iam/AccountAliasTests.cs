using static Cairn.Server.Tests.Iam.IdentityHarness;

namespace Cairn.Server.Tests.Iam;

public sealed class AccountAliasTests : IDisposable
{
    private readonly IdentityHarness _iam = new();

    public void Dispose() => _iam.Dispose();

    private async Task<string[]> AliasesAsync() =>
        (await _iam.CallIam("ListAccountAliases"))!.Element("AccountAliases")!.Elements("member").Select(e => e.Value).ToArray();

    [Fact]
    public async Task An_account_has_at_most_one_alias_and_a_new_one_replaces_it()
    {
        Assert.Empty(await AliasesAsync());
        Assert.Equal("false", Text(await _iam.CallIam("ListAccountAliases"), "IsTruncated"));

        await _iam.CallIam("CreateAccountAlias", ("AccountAlias", "build-team"));
        Assert.Equal(["build-team"], await AliasesAsync());
        await _iam.CallIam("CreateAccountAlias", ("AccountAlias", "platform"));
        Assert.Equal(["platform"], await AliasesAsync());

        var missing = await _iam.IamFails("DeleteAccountAlias", ("AccountAlias", "build-team"));
        Assert.Equal(("NoSuchEntity", "The account alias build-team cannot be found."), (missing.Code, missing.Message));
        await _iam.CallIam("DeleteAccountAlias", ("AccountAlias", "platform"));
        Assert.Empty(await AliasesAsync());
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Build-Team")]
    [InlineData("-build")]
    [InlineData("build-")]
    [InlineData("build--team")]
    [InlineData("build_team")]
    [InlineData("123456789012")]
    public async Task An_alias_outside_IAMs_syntax_is_a_ValidationError(string alias)
    {
        var error = await _iam.IamFails("CreateAccountAlias", ("AccountAlias", alias));

        Assert.Equal(("ValidationError", 400), (error.Code, error.HttpStatus));
        Assert.Contains($"'{alias}' at 'accountAlias'", error.Message, StringComparison.Ordinal);
    }
}
