using Cairn.Core.Errors;
using Cairn.Server.Aws;
using Cairn.Server.Aws.SigV4;
using static Cairn.Server.Tests.SigV4.SignedRequests;

namespace Cairn.Server.Tests.SigV4;

public sealed class SigV4CredentialTests
{
    private const string Token = "IQoJb3JpZ2luX2VjEXAMPLETOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQ";

    [Fact]
    public async Task Correctly_signed_request_authenticates_as_the_key_owner_with_scope_region_and_service()
    {
        var credential = Credential();
        var auth = await new SigV4Authenticator(new FixedCredentials(credential)).AuthenticateAsync(Json(Now), Now, default);
        Assert.Same(credential, auth.Credential);
        Assert.Equal("us-east-1", auth.Region);
        Assert.Equal("ssm", auth.Service);
    }

    [Fact]
    public void Wrong_secret_gives_InvalidSignatureException_with_AWS_text()
    {
        var request = Json(Now, Signer(secret: "not-the-secret"));
        var error = Assert.Throws<AwsException>(() => Verify(request, Credential()));
        Assert.Equal("InvalidSignatureException", error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal(
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
            error.Message);
    }

    [Fact]
    public void Wrong_secret_on_a_Query_request_gives_SignatureDoesNotMatch()
    {
        var request = Query(Now, Signer("sts", secret: "not-the-secret"));
        var error = Assert.Throws<AwsException>(() => Verify(request, Credential()));
        Assert.Equal("SignatureDoesNotMatch", error.Code);
        Assert.Equal(403, error.HttpStatus);
        Assert.Equal(AwsErrors.SignatureMismatchText, error.Message);
    }

    [Fact]
    public async Task Unknown_access_key_gives_UnrecognizedClientException()
    {
        var authenticator = new SigV4Authenticator(new FixedCredentials());
        var error = await Assert.ThrowsAsync<AwsException>(() => authenticator.AuthenticateAsync(Json(Now), Now, default).AsTask());
        Assert.Equal("UnrecognizedClientException", error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("The security token included in the request is invalid.", error.Message);
    }

    [Fact]
    public async Task Unknown_access_key_on_a_Query_request_gives_InvalidClientTokenId()
    {
        var authenticator = new SigV4Authenticator(new FixedCredentials());
        var error = await Assert.ThrowsAsync<AwsException>(() => authenticator.AuthenticateAsync(Query(Now), Now, default).AsTask());
        Assert.Equal("InvalidClientTokenId", error.Code);
        Assert.Equal(403, error.HttpStatus);
        Assert.Equal("The security token included in the request is invalid.", error.Message);
    }

    [Fact]
    public void Inactive_access_key_is_rejected_as_invalid()
    {
        var error = Assert.Throws<AwsException>(() => Verify(Json(Now), Credential() with { Active = false }));
        Assert.Equal("UnrecognizedClientException", error.Code);
    }

    [Fact]
    public void Temporary_credentials_with_their_session_token_verify()
    {
        var request = Json(Now, Signer(sessionToken: Token));
        Assert.Contains("x-amz-security-token", SigV4Parser.Parse(request).SignedHeaders);
        Verify(request, Credential(Token, Now.AddHours(1)));
    }

    [Fact]
    public void Temporary_credentials_without_the_session_token_are_rejected()
    {
        var error = Assert.Throws<AwsException>(() => Verify(Json(Now), Credential(Token, Now.AddHours(1))));
        Assert.Equal("UnrecognizedClientException", error.Code);
        Assert.Equal("The security token included in the request is invalid.", error.Message);
    }

    [Fact]
    public void Session_token_that_does_not_match_the_credential_is_rejected()
    {
        var request = Json(Now, Signer(sessionToken: Token + "x"));
        var error = Assert.Throws<AwsException>(() => Verify(request, Credential(Token, Now.AddHours(1))));
        Assert.Equal("UnrecognizedClientException", error.Code);
    }

    [Fact]
    public void Session_token_sent_with_a_long_term_key_is_rejected()
    {
        var request = Json(Now, Signer(sessionToken: Token));
        var error = Assert.Throws<AwsException>(() => Verify(request, Credential()));
        Assert.Equal("UnrecognizedClientException", error.Code);
    }

    [Fact]
    public void Expired_temporary_credentials_give_ExpiredTokenException()
    {
        var request = Json(Now, Signer(sessionToken: Token));
        var error = Assert.Throws<AwsException>(() => Verify(request, Credential(Token, Now.AddSeconds(-1))));
        Assert.Equal("ExpiredTokenException", error.Code);
        Assert.Equal("The security token included in the request is expired", error.Message);
    }

    [Fact]
    public void Expired_temporary_credentials_on_a_Query_request_give_ExpiredToken()
    {
        var request = Query(Now, Signer("sts", sessionToken: Token));
        var error = Assert.Throws<AwsException>(() => Verify(request, Credential(Token, Now.AddSeconds(-1))));
        Assert.Equal("ExpiredToken", error.Code);
    }

    [Fact]
    public void A_changed_secret_for_the_same_key_is_not_served_from_the_signing_key_cache()
    {
        var verifier = new SigV4Verifier();
        var request = Json(Now);
        verifier.Verify(request, SigV4Parser.Parse(request), Credential(), Now);
        var rotated = Credential() with { SecretAccessKey = "rotated" };
        Assert.Throws<AwsException>(() => verifier.Verify(request, SigV4Parser.Parse(request), rotated, Now));
        var signedWithRotated = Json(Now, Signer(secret: "rotated"));
        verifier.Verify(signedWithRotated, SigV4Parser.Parse(signedWithRotated), rotated, Now);
    }

    internal static SigV4Verification Verify(AwsHttpRequest request, Core.Identity.SigningCredential credential) =>
        new SigV4Verifier().Verify(request, SigV4Parser.Parse(request), credential, Now);
}
