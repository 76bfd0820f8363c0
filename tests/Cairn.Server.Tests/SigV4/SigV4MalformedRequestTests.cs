using Cairn.Core.Errors;
using Cairn.Server.Aws;
using Cairn.Server.Aws.SigV4;
using static Cairn.Server.Tests.SigV4.SignedRequests;

namespace Cairn.Server.Tests.SigV4;

public sealed class SigV4MalformedRequestTests
{
    private const string Scope = "AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/ssm/aws4_request";
    private const string Signature = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Request_without_any_signature_gets_MissingAuthenticationTokenException()
    {
        var error = Assert.Throws<AwsException>(() => SigV4Parser.Parse(Json(Now).WithHeader("Authorization", null)));
        Assert.Equal("MissingAuthenticationTokenException", error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("Request is missing Authentication Token", error.Message);
    }

    [Fact]
    public void Query_request_without_any_signature_gets_MissingAuthenticationToken()
    {
        var error = Assert.Throws<AwsException>(() => SigV4Parser.Parse(Query(Now).WithHeader("Authorization", null)));
        Assert.Equal("MissingAuthenticationToken", error.Code);
        Assert.Equal(403, error.HttpStatus);
        Assert.Equal("Request is missing Authentication Token", error.Message);
    }

    [Fact]
    public void Authorization_without_Signature_lists_what_is_missing_and_echoes_the_header()
    {
        var header = $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=host;x-amz-date";
        var error = ParseError(header);
        Assert.Equal("IncompleteSignatureException", error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal($"Authorization header requires 'Signature' parameter. Authorization={header}", error.Message);
    }

    [Fact]
    public void Authorization_that_is_not_SigV4_lists_every_missing_part()
    {
        var error = ParseError("Bearer abc", amzDate: null);
        Assert.Equal(
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
            "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
            "Authorization=Bearer abc",
            error.Message);
    }

    [Fact]
    public void Authorization_with_only_the_algorithm_lists_every_missing_parameter()
    {
        Assert.Equal(
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
            "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256",
            ParseError("AWS4-HMAC-SHA256").Message);
    }

    [Fact]
    public void Query_request_with_malformed_authorization_gets_IncompleteSignature()
    {
        var request = Query(Now).WithHeader("Authorization", "AWS4-HMAC-SHA256 Credential=" + Scope);
        var error = Assert.Throws<AwsException>(() => SigV4Parser.Parse(request));
        Assert.Equal("IncompleteSignature", error.Code);
    }

    [Fact]
    public void Space_after_an_equal_sign_is_not_a_key_value_pair()
    {
        var header = $"AWS4-HMAC-SHA256 Credential= {Scope}, SignedHeaders=host;x-amz-date, Signature={Signature}";
        Assert.Equal(
            $"'{Scope}' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'.",
            ParseError(header).Message);
    }

    [Fact]
    public void Credential_with_too_few_elements_is_rejected()
    {
        var error = ParseError($"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1, SignedHeaders=host;x-amz-date, Signature={Signature}");
        Assert.Equal(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIAIOSFODNN7EXAMPLE/20240101/us-east-1'",
            error.Message);
    }

    [Fact]
    public void Credential_with_a_wrong_terminator_is_rejected()
    {
        var error = ParseError($"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/ssm/aws5_request, SignedHeaders=host;x-amz-date, Signature={Signature}");
        Assert.Equal("Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ", error.Message);
    }

    [Fact]
    public void Credential_date_other_than_the_request_date_is_rejected()
    {
        var error = ParseError($"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20231231/us-east-1/ssm/aws4_request, SignedHeaders=host;x-amz-date, Signature={Signature}");
        Assert.Equal("InvalidSignatureException", error.Code);
        Assert.Equal(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20231231' != '20240101', from '20240101T120000Z'.",
            error.Message);
    }

    [Fact]
    public void Unsupported_algorithm_is_rejected()
    {
        var error = ParseError($"AWS4-HMAC-SHA512 Credential={Scope}, SignedHeaders=host;x-amz-date, Signature={Signature}");
        Assert.Equal("IncompleteSignatureException", error.Code);
        Assert.Contains("'AWS4-HMAC-SHA512'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_without_a_date_is_rejected()
    {
        var header = $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=host, Signature={Signature}";
        Assert.Equal(
            $"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={header}",
            ParseError(header, amzDate: null).Message);
    }

    [Fact]
    public void X_Amz_Date_not_in_ISO_8601_basic_format_is_rejected()
    {
        var error = ParseError($"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=host;x-amz-date, Signature={Signature}", amzDate: "2024-01-01T12:00:00Z");
        Assert.Equal("Date must be in ISO-8601 'basic format'. Got '2024-01-01T12:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601", error.Message);
    }

    [Fact]
    public void Host_must_be_a_signed_header()
    {
        var error = ParseError($"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=x-amz-date, Signature={Signature}");
        Assert.Equal("'Host' must be a 'SignedHeader' in the AWS Authorization.", error.Message);
    }

    [Fact]
    public void Signed_header_absent_from_the_request_is_named()
    {
        var request = Json(Now).WithHeader("X-Amz-Target", null);
        var error = Assert.Throws<AwsException>(() => new SigV4Verifier().Verify(request, SigV4Parser.Parse(request), Credential(), Now));
        Assert.Equal("IncompleteSignatureException", error.Code);
        Assert.Equal("'x-amz-target' is named as a SignedHeader, but it does not exist in the HTTP request.", error.Message);
    }

    [Fact]
    public void Http_Date_header_can_stand_in_for_X_Amz_Date()
    {
        var request = new AwsHttpRequest("GET", "/", string.Empty,
        [
            new("Host", "127.0.0.1:4566"),
            new("Date", "Mon, 01 Jan 2024 12:00:00 GMT"),
            new("Authorization", $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=date;host, Signature={Signature}"),
        ], ReadOnlyMemory<byte>.Empty);
        var authorization = SigV4Parser.Parse(request);
        Assert.Equal("20240101T120000Z", authorization.AmzDate);
        Assert.Equal(Now, authorization.RequestTime);
    }

    [Theory]
    [InlineData("X-Amz-Target", "AmazonSSM.GetParameter", "", "", "Json")]
    [InlineData("Content-Type", "application/x-www-form-urlencoded; charset=utf-8", "", "", "Query")]
    [InlineData("Content-Type", "text/plain", "Action=GetCallerIdentity&Version=2011-06-15", "", "Query")]
    [InlineData("Content-Type", "application/x-amz-json-1.1", "", "", "Json")]
    [InlineData("Content-Type", "text/plain", "NoAction=1", "", "Json")]
    public void Protocol_is_told_by_target_header_form_body_or_Action_parameter(string header, string value, string query, string body, string expected)
    {
        var request = new AwsHttpRequest("POST", "/", query, [new(header, value)], System.Text.Encoding.UTF8.GetBytes(body));
        Assert.Equal(Enum.Parse<AwsProtocol>(expected), SigV4Parser.DetectProtocol(request));
    }

    private static AwsException ParseError(string authorization, string? amzDate = "20240101T120000Z")
    {
        var request = Json(Now).WithHeader("Authorization", authorization).WithHeader("X-Amz-Date", amzDate);
        return Assert.Throws<AwsException>(() => SigV4Parser.Parse(request));
    }
}
