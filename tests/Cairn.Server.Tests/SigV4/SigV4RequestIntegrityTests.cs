using System.Text;
using Cairn.Core.Errors;
using Cairn.Server.Aws.SigV4;
using static Cairn.Server.Tests.SigV4.SigV4CredentialTests;
using static Cairn.Server.Tests.SigV4.SignedRequests;

namespace Cairn.Server.Tests.SigV4;

/// <summary>What a signature protects: body, headers, host, and the declared payload hash.</summary>
public sealed class SigV4RequestIntegrityTests
{
    [Fact]
    public void Body_changed_after_signing_fails_the_signature()
    {
        var request = Json(Now) with { Body = Encoding.UTF8.GetBytes("""{"Name":"y"}""") };
        var error = Assert.Throws<AwsException>(() => Verify(request, Credential()));
        Assert.Equal("InvalidSignatureException", error.Code);
    }

    [Fact]
    public void Declared_payload_hash_that_does_not_match_the_body_is_rejected()
    {
        using var message = JsonMessage();
        message.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", SigV4Canonical.HexSha256("""{"Name":"x"}"""u8));
        var request = Sign(message, Now, Signer()) with { Body = Encoding.UTF8.GetBytes("""{"Name":"other"}""") };
        Assert.Contains("x-amz-content-sha256", SigV4Parser.Parse(request).SignedHeaders);

        var error = Assert.Throws<AwsException>(() => Verify(request, Credential()));
        Assert.Equal("InvalidSignatureException", error.Code);
        Assert.Equal("The provided 'x-amz-content-sha256' header does not match what was computed.", error.Message);
    }

    [Fact]
    public void Declared_payload_hash_that_matches_the_body_verifies()
    {
        using var message = JsonMessage();
        message.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", SigV4Canonical.HexSha256("""{"Name":"x"}"""u8));
        Verify(Sign(message, Now, Signer()), Credential());
    }

    [Fact]
    public void Unsigned_payload_is_refused_except_by_S3()
    {
        using var message = JsonMessage();
        message.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");
        var request = Sign(message, Now, Signer()) with { Body = Encoding.UTF8.GetBytes("""{"Name":"other"}""") };

        var error = Assert.Throws<AwsException>(() => Verify(request, Credential()));
        new SigV4Verifier(normalizePath: false).Verify(request, SigV4Parser.Parse(request), Credential(), Now);

        Assert.Equal("InvalidSignatureException", error.Code);
        Assert.StartsWith("The provided 'x-amz-content-sha256' header does not match what was computed.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_is_signed_as_received_including_the_port()
    {
        var request = Json(Now);
        Assert.Equal("127.0.0.1:4566", request.Header("Host"));
        Assert.Throws<AwsException>(() => Verify(request.WithHeader("Host", "127.0.0.1"), Credential()));
    }

    [Fact]
    public void Signed_header_changed_after_signing_fails_the_signature()
    {
        var request = Json(Now).WithHeader("X-Amz-Target", "AmazonSSM.DeleteParameter");
        var error = Assert.Throws<AwsException>(() => Verify(request, Credential()));
        Assert.Equal(AwsErrors.SignatureMismatchText, error.Message);
    }

    [Fact]
    public void Header_value_whitespace_is_trimmed_and_collapsed_before_checking()
    {
        var request = Json(Now);
        var target = request.Header("X-Amz-Target");
        Verify(request.WithHeader("X-Amz-Target", "  " + target + " \t"), Credential());
    }

    [Fact]
    public void Unsigned_headers_may_be_added_after_signing()
    {
        Verify(Json(Now).WithHeader("User-Agent", "aws-cli/2.9.19"), Credential());
    }

    [Fact]
    public void Tampered_signature_of_the_right_length_is_rejected()
    {
        var request = Json(Now);
        var authorization = request.Header("Authorization")!;
        var last = authorization[^1];
        var tampered = request.WithHeader("Authorization", authorization[..^1] + (last == '0' ? '1' : '0'));
        Assert.Throws<AwsException>(() => Verify(tampered, Credential()));
    }

    [Fact]
    public void Upper_case_signature_is_not_the_signature()
    {
        var request = Json(Now);
        var authorization = request.Header("Authorization")!;
        var at = authorization.IndexOf("Signature=", StringComparison.Ordinal) + "Signature=".Length;
        var upper = request.WithHeader("Authorization", authorization[..at] + authorization[at..].ToUpperInvariant());
        Assert.Throws<AwsException>(() => Verify(upper, Credential()));
    }
}
