using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Wire;

/// <summary>
/// Input AWS refuses by its models' patterns, sent with the real aws CLI: refused with ValidationError (never stored,
/// never a 500), and the listings that would have shown it keep working.
/// </summary>
public sealed class HostileInputCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private const string DescriptionPattern = @"[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*";

    [Fact]
    public async Task Role_description_with_a_control_character_gets_ValidationError_and_list_roles_keeps_working()
    {
        var refused = (await cairn.Aws("iam", "create-role", "--role-name", "ctl-role", "--assume-role-policy-document", Trust, "--description", "a\u0001b"))
            .Fails("ValidationError");
        (await cairn.Aws("iam", "create-role", "--role-name", "plain-role", "--assume-role-policy-document", Trust, "--description", "tab\tand é")).Ok();
        var updated = (await cairn.Aws("iam", "update-role", "--role-name", "plain-role", "--description", "x\u001by")).Fails("ValidationError");
        var roles = (await cairn.Aws("iam", "list-roles")).Ok()["Roles"]!.AsArray().Select(r => r!["RoleName"]!.GetValue<string>()).ToList();

        Assert.Contains(
            $"1 validation error detected: Value at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern: {DescriptionPattern}",
            refused, StringComparison.Ordinal);
        Assert.Contains("Value at 'description' failed to satisfy constraint", updated, StringComparison.Ordinal);
        Assert.Contains("plain-role", roles);
        Assert.DoesNotContain("ctl-role", roles);
    }

    [Fact]
    public async Task Tag_value_and_policy_description_with_control_characters_get_ValidationError()
    {
        (await cairn.Aws("iam", "create-user", "--user-name", "tagged")).Ok();
        var tag = (await cairn.Aws("iam", "tag-user", "--user-name", "tagged", "--tags", """[{"Key":"team","Value":"a\u0002b"}]""")).Fails("ValidationError");
        var policy = (await cairn.Aws("iam", "create-policy", "--policy-name", "ctl-policy", "--description", "a\u0001b",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"*"}]}""")).Fails("ValidationError");
        (await cairn.Aws("iam", "get-user", "--user-name", "tagged")).Ok();
        (await cairn.Aws("iam", "list-policies", "--scope", "Local")).Ok();

        Assert.Contains("Value at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*", tag, StringComparison.Ordinal);
        Assert.Contains("Value at 'description' failed to satisfy constraint", policy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user", "josé")]
    [InlineData("user", "名前")]
    [InlineData("role", "rôle")]
    [InlineData("group", "grüppe")]
    [InlineData("policy", "pólicy")]
    public async Task Non_ASCII_IAM_names_get_ValidationError(string kind, string name)
    {
        var result = kind switch
        {
            "user" => await cairn.Aws("iam", "create-user", "--user-name", name),
            "role" => await cairn.Aws("iam", "create-role", "--role-name", name, "--assume-role-policy-document", Trust),
            "group" => await cairn.Aws("iam", "create-group", "--group-name", name),
            _ => await cairn.Aws("iam", "create-policy", "--policy-name", name,
                "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"*"}]}"""),
        };

        var member = kind + "Name";
        Assert.Contains($"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
            result.Fails("ValidationError"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policy_document_with_a_lone_surrogate_escape_gets_MalformedPolicyDocument()
    {
        var stderr = (await cairn.Aws("iam", "create-policy", "--policy-name", "surrogate",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:Get\ud800","Resource":"*"}]}"""))
            .Fails("MalformedPolicyDocument");
        Assert.Contains("Syntax errors in policy.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_name_with_a_control_character_gets_ValidationError()
    {
        var stderr = (await cairn.Aws("sts", "assume-role", "--role-arn", "arn:aws:iam::000000000000:role/any", "--role-session-name", "s\u0001x"))
            .Fails("ValidationError");
        Assert.Contains("Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*", stderr, StringComparison.Ordinal);
    }
}
