using Cairn.Core.Errors;
using Cairn.Server.Aws;
using Cairn.Server.Aws.SigV4;
using static Cairn.Server.Tests.SigV4.SignedRequests;

namespace Cairn.Server.Tests.SigV4;

public sealed class SigV4PresignedTests
{
    private static readonly Uri CallerIdentity = new("http://127.0.0.1:4566/?Action=GetCallerIdentity&Version=2011-06-15");

    [Fact]
    public void Presigned_url_from_the_signer_verifies_as_a_Query_request()
    {
        var request = Get(Signer("sts").Presign(HttpMethod.Get, CallerIdentity, Now, TimeSpan.FromMinutes(15)));
        var authorization = SigV4Parser.Parse(request);
        Assert.True(authorization.IsPresigned);
        Assert.Equal(AwsProtocol.Query, authorization.Protocol);
        Assert.Equal(900, authorization.ExpiresSeconds);
        new SigV4Verifier().Verify(request, authorization, Credential(), Now.AddMinutes(14));
    }

    [Fact]
    public void Presigned_url_with_a_session_token_verifies_against_temporary_credentials()
    {
        var request = Get(Signer("sts", sessionToken: "token/with+chars=").Presign(HttpMethod.Get, CallerIdentity, Now, TimeSpan.FromMinutes(15)));
        new SigV4Verifier().Verify(request, SigV4Parser.Parse(request), Credential("token/with+chars=", Now.AddHours(1)), Now);
        Assert.Throws<AwsException>(() => new SigV4Verifier().Verify(request, SigV4Parser.Parse(request), Credential("other", Now.AddHours(1)), Now));
    }

    [Fact]
    public void Presigned_url_used_after_it_expires_is_rejected()
    {
        var request = Get(Signer("sts").Presign(HttpMethod.Get, CallerIdentity, Now, TimeSpan.FromMinutes(15)));
        var error = Assert.Throws<AwsException>(() => new SigV4Verifier().Verify(request, SigV4Parser.Parse(request), Credential(), Now.AddMinutes(16)));
        Assert.Equal("SignatureDoesNotMatch", error.Code);
        Assert.Equal("Signature expired: 20240101T120000Z is now earlier than 20240101T120100Z (20240101T121600Z - 900 sec.)", error.Message);
    }

    [Fact]
    public void Presigned_url_dated_in_the_future_is_not_yet_current()
    {
        var request = Get(Signer("sts").Presign(HttpMethod.Get, CallerIdentity, Now.AddMinutes(6), TimeSpan.FromMinutes(15)));
        var error = Assert.Throws<AwsException>(() => new SigV4Verifier().Verify(request, SigV4Parser.Parse(request), Credential(), Now));
        Assert.StartsWith("Signature not yet current: 20240101T120600Z is still later than 20240101T120500Z", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Presigned_url_with_a_changed_parameter_fails_the_signature()
    {
        var url = Signer("sts").Presign(HttpMethod.Get, CallerIdentity, Now, TimeSpan.FromMinutes(15)).ToString();
        var request = Get(new Uri(url.Replace("GetCallerIdentity", "GetSessionToken", StringComparison.Ordinal)));
        var error = Assert.Throws<AwsException>(() => new SigV4Verifier().Verify(request, SigV4Parser.Parse(request), Credential(), Now));
        Assert.Equal(AwsErrors.SignatureMismatchText, error.Message);
    }

    [Fact]
    public void Presigned_url_without_a_signature_names_the_missing_parameter()
    {
        var url = Signer("sts").Presign(HttpMethod.Get, CallerIdentity, Now, TimeSpan.FromMinutes(15)).ToString();
        var request = Get(new Uri(url[..url.IndexOf("&X-Amz-Signature=", StringComparison.Ordinal)]));
        var error = Assert.Throws<AwsException>(() => SigV4Parser.Parse(request));
        Assert.Equal("IncompleteSignature", error.Code);
        Assert.Equal("AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters.", error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("604801")]
    [InlineData("soon")]
    public void Presigned_url_with_an_invalid_expiry_is_rejected(string expires)
    {
        var url = Signer("sts").Presign(HttpMethod.Get, CallerIdentity, Now, TimeSpan.FromMinutes(15)).ToString();
        var request = Get(new Uri(url.Replace("X-Amz-Expires=900", "X-Amz-Expires=" + expires, StringComparison.Ordinal)));
        var error = Assert.Throws<AwsException>(() => SigV4Parser.Parse(request));
        Assert.Equal("IncompleteSignature", error.Code);
    }

    private static AwsHttpRequest Get(Uri url) =>
        new("GET", url.AbsolutePath, url.Query.TrimStart('?'), [new("Host", $"{url.Host}:{url.Port}")], ReadOnlyMemory<byte>.Empty);
}
