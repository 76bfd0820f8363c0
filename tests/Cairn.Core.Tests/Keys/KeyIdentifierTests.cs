using Cairn.Core.Errors;
using Cairn.Core.Keys;

namespace Cairn.Core.Tests.Keys;

public sealed class KeyIdentifierTests
{
    [Theory]
    [InlineData("1234abcd-12ab-34cd-56ef-1234567890ab", KeyIdentifierKind.KeyId, "1234abcd-12ab-34cd-56ef-1234567890ab", null)]
    [InlineData("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", KeyIdentifierKind.KeyArn, "1234abcd-12ab-34cd-56ef-1234567890ab", "eu-west-1")]
    [InlineData("alias/my-app", KeyIdentifierKind.AliasName, "alias/my-app", null)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:alias/aws/ssm", KeyIdentifierKind.AliasArn, "alias/aws/ssm", "us-east-1")]
    public void Each_form_of_key_id_is_recognized(string text, KeyIdentifierKind kind, string name, string? region)
    {
        var id = KeyIdentifier.Parse(text);

        Assert.Equal(kind, id.Kind);
        Assert.Equal(name, id.Name);
        Assert.Equal(region, id.ArnRegion);
    }

    [Theory]
    [InlineData("fake-key-id")]
    [InlineData("134f2428cec14b25a1ae9048164dba47")]
    [InlineData("my-alias")]
    public void A_key_id_that_is_no_uuid_is_NotFound_invalid_keyId(string text)
    {
        var error = Assert.Throws<AwsException>(() => KeyIdentifier.Parse(text));

        Assert.Equal("NotFoundException", error.Code);
        Assert.Equal($"Invalid keyId '{text}'", error.Message);
    }

    [Theory]
    [InlineData("arn:aws:s3:::bucket")]
    [InlineData("arn:aws:kms:us-east-1:111122223333:grant/x")]
    public void An_arn_that_is_no_kms_key_or_alias_is_NotFound_invalid_arn(string text)
    {
        var error = Assert.Throws<AwsException>(() => KeyIdentifier.Parse(text));

        Assert.Equal("NotFoundException", error.Code);
        Assert.StartsWith("Invalid arn", error.Message, StringComparison.Ordinal);
    }
}
