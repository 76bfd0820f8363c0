using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Tests.Wire;

public sealed class InputValidatorTests
{
    private static readonly StructureShape Shape = new(
        new MemberShape("Plaintext", new BlobShape(1, 4)),
        new MemberShape("Context", new MapShape(new StringShape(), new StringShape(Max: 3))));

    [Fact]
    public void A_blob_out_of_bounds_is_reported_without_its_value()
    {
        var error = Assert.Throws<AwsException>(() => InputValidator.Validate(Parse("""{"Plaintext":"c2VjcmV0"}"""), Shape));

        Assert.Equal(("ValidationException", "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4"), (error.Code, error.Message));
    }

    [Fact]
    public void A_blob_that_is_not_base64_is_a_SerializationException()
    {
        var error = Assert.Throws<AwsException>(() => InputValidator.Validate(Parse("""{"Plaintext":"not base64!"}"""), Shape));

        Assert.Equal("SerializationException", error.Code);
    }

    [Fact]
    public void A_map_value_of_the_wrong_type_is_a_SerializationException()
    {
        var error = Assert.Throws<AwsException>(() => InputValidator.Validate(Parse("""{"Context":{"k":1}}"""), Shape));

        Assert.Equal(("SerializationException", "NUMBER_VALUE cannot be converted to String"), (error.Code, error.Message));
    }

    [Fact]
    public void A_map_value_is_checked_against_its_shape()
    {
        var error = Assert.Throws<AwsException>(() => InputValidator.Validate(Parse("""{"Context":{"k":"long"}}"""), Shape));

        Assert.Equal("1 validation error detected: Value 'long' at 'context' failed to satisfy constraint: Member must have length less than or equal to 3", error.Message);
    }

    [Fact]
    public void A_list_where_a_map_belongs_is_a_SerializationException()
    {
        var error = Assert.Throws<AwsException>(() => InputValidator.Validate(Parse("""{"Context":[]}"""), Shape));

        Assert.Equal(("SerializationException", "Start of list found where not expected."), (error.Code, error.Message));
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
