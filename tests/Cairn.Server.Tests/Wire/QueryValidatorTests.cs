using Cairn.Core.Errors;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Tests.Wire;

public sealed class QueryValidatorTests
{
    private static readonly StructureShape Shape = new(
        new MemberShape("RoleName", new StringShape(1, 8, "[a-z]+"), true),
        new MemberShape("MaxItems", new NumberShape(1, 10)),
        new MemberShape("Tags", new ListShape(new StructureShape(new MemberShape("Key", new StringShape(1, 3), true)), Max: 2)));

    [Fact]
    public void A_missing_required_member_is_a_ValidationError_with_null()
    {
        var error = Fails([]);

        Assert.Equal(("ValidationError", "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null"), (error.Code, error.Message));
    }

    [Fact]
    public void A_pattern_failure_names_the_model_pattern()
    {
        var error = Fails(new() { ["RoleName"] = "Bob" });

        Assert.Equal("1 validation error detected: Value 'Bob' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+", error.Message);
    }

    [Fact]
    public void A_value_with_control_characters_is_not_echoed()
    {
        var error = Fails(new() { ["RoleName"] = "a\u0007b" });

        Assert.Equal("1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+", error.Message);
    }

    [Fact]
    public void A_number_out_of_range_and_a_word_for_a_number_are_ValidationErrors()
    {
        Assert.Equal(
            "1 validation error detected: Value '11' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10",
            Fails(new() { ["RoleName"] = "bob", ["MaxItems"] = "11" }).Message);
        Assert.Equal(
            "1 validation error detected: Value 'ten' at 'maxItems' failed to satisfy constraint: Member must be a number",
            Fails(new() { ["RoleName"] = "bob", ["MaxItems"] = "ten" }).Message);
    }

    [Fact]
    public void Structures_in_a_list_are_named_as_AWS_names_them()
    {
        var error = Fails(new() { ["RoleName"] = "bob", ["Tags.member.1.Key"] = "ok", ["Tags.member.2.Key"] = "long" });

        Assert.Equal("1 validation error detected: Value 'long' at 'tags.2.member.key' failed to satisfy constraint: Member must have length less than or equal to 3", error.Message);
    }

    [Fact]
    public void A_list_longer_than_its_maximum_is_refused()
    {
        var error = Fails(new() { ["RoleName"] = "bob", ["Tags.member.1.Key"] = "a", ["Tags.member.2.Key"] = "b", ["Tags.member.3.Key"] = "c" });

        Assert.Equal("1 validation error detected: Value '[...]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 2", error.Message);
    }

    [Fact]
    public void A_valid_request_passes() => QueryValidator.Validate(new Dictionary<string, string> { ["RoleName"] = "bob", ["MaxItems"] = "5" }, Shape);

    private static AwsException Fails(Dictionary<string, string> parameters) =>
        Assert.Throws<AwsException>(() => QueryValidator.Validate(parameters, Shape));
}
