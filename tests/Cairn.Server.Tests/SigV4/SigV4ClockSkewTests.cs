using Cairn.Core.Errors;
using Cairn.Server.Aws.SigV4;
using static Cairn.Server.Tests.SigV4.SignedRequests;

namespace Cairn.Server.Tests.SigV4;

public sealed class SigV4ClockSkewTests
{
    [Theory]
    [InlineData(-300)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(300)]
    public void Request_signed_within_five_minutes_either_way_verifies(int offsetSeconds)
    {
        var request = Json(Now.AddSeconds(offsetSeconds));
        new SigV4Verifier().Verify(request, SigV4Parser.Parse(request), Credential(), Now);
    }

    [Fact]
    public void Request_signed_over_five_minutes_ago_is_rejected_with_AWS_signature_expired_text()
    {
        var request = Json(Now.AddMinutes(-6));
        var error = Assert.Throws<AwsException>(() => new SigV4Verifier().Verify(request, SigV4Parser.Parse(request), Credential(), Now));
        Assert.Equal("InvalidSignatureException", error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("Signature expired: 20240101T115400Z is now earlier than 20240101T115500Z (20240101T120000Z - 5 min.)", error.Message);
    }

    [Fact]
    public void Request_signed_over_five_minutes_ahead_is_rejected_with_AWS_not_yet_current_text()
    {
        var request = Json(Now.AddMinutes(6));
        var error = Assert.Throws<AwsException>(() => new SigV4Verifier().Verify(request, SigV4Parser.Parse(request), Credential(), Now));
        Assert.Equal("InvalidSignatureException", error.Code);
        Assert.Equal("Signature not yet current: 20240101T120600Z is still later than 20240101T120500Z (20240101T120000Z + 5 min.)", error.Message);
    }

    [Fact]
    public void Query_protocol_request_with_an_expired_signature_gets_SignatureDoesNotMatch()
    {
        var request = Query(Now.AddSeconds(-301));
        var error = Assert.Throws<AwsException>(() => new SigV4Verifier().Verify(request, SigV4Parser.Parse(request), Credential(), Now));
        Assert.Equal("SignatureDoesNotMatch", error.Code);
        Assert.Equal(403, error.HttpStatus);
        Assert.Equal("Signature expired: 20240101T115459Z is now earlier than 20240101T115500Z (20240101T120000Z - 5 min.)", error.Message);
    }
}
