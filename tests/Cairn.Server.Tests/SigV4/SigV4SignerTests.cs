using Cairn.Server.Aws.SigV4;

namespace Cairn.Server.Tests.SigV4;

/// <summary>The client-side signer reproduces the official vectors it can express (host and x-amz-* headers only).</summary>
public sealed class SigV4SignerTests
{
    private static readonly SigV4Signer Example = new(SigV4Vector.AccessKeyId, SigV4Vector.SecretAccessKey, "us-east-1", "service");

    [Theory]
    [InlineData("GET", "https://example.amazonaws.com/", "get-vanilla")]
    [InlineData("POST", "https://example.amazonaws.com/", "post-vanilla")]
    [InlineData("POST", "https://example.amazonaws.com/?Param1=value1", "post-vanilla-query")]
    [InlineData("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1", "get-vanilla-query-order-key-case")]
    public void Signer_reproduces_the_botocore_authorization_header(string method, string url, string vector)
    {
        using var message = new HttpRequestMessage(new HttpMethod(method), url);
        Example.Sign(message, [], SigV4Vector.SuiteTime);
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "sigv4", "botocore-aws4_testsuite", vector, vector + ".authz")).Trim();
        Assert.Equal(expected, message.Headers.GetValues("Authorization").Single());
        Assert.Equal("20150830T123600Z", message.Headers.GetValues("X-Amz-Date").Single());
        Assert.Equal("example.amazonaws.com", message.Headers.Host);
    }

    [Theory]
    [InlineData("get-vanilla", null)]
    [InlineData("get-vanilla-with-session-token", "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267")]
    public void Presign_reproduces_the_aws_c_auth_query_signature(string vector, string? token)
    {
        var signer = new SigV4Signer(SigV4Vector.AccessKeyId, SigV4Vector.SecretAccessKey, "us-east-1", "service", token);
        var url = signer.Presign(HttpMethod.Get, new Uri("https://example.amazonaws.com/"), SigV4Vector.SuiteTime, TimeSpan.FromHours(1));
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "sigv4", "aws-c-auth-v4", vector, "query-signature.txt")).Trim();
        Assert.EndsWith("&X-Amz-Signature=" + expected, url.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAsync_hashes_the_content_and_round_trips_through_the_verifier()
    {
        using var message = SignedRequests.JsonMessage("""{"Name":"/app/db/password","WithDecryption":true}""");
        await SignedRequests.Signer().SignAsync(message, SignedRequests.Now, default);
        var body = await message.Content!.ReadAsByteArrayAsync();
        var request = SignedRequests.ToServerView(message, body);
        var authorization = SigV4Parser.Parse(request);
        Assert.Equal("content-type;host;x-amz-date;x-amz-target", authorization.SignedHeadersText);
        new SigV4Verifier().Verify(request, authorization, SignedRequests.Credential(), SignedRequests.Now);
    }

    [Fact]
    public void Signing_again_replaces_the_previous_signature()
    {
        using var message = SignedRequests.JsonMessage();
        var signer = SignedRequests.Signer();
        signer.Sign(message, """{"Name":"x"}"""u8, SignedRequests.Now);
        signer.Sign(message, """{"Name":"x"}"""u8, SignedRequests.Now.AddSeconds(1));
        Assert.Single(message.Headers.GetValues("Authorization"));
        Assert.Single(message.Headers.GetValues("X-Amz-Date"));
    }

    [Fact]
    public void Relative_uri_cannot_be_signed_and_the_error_says_what_to_use()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/");
        var error = Assert.Throws<ArgumentException>(() => SignedRequests.Signer().Sign(message, [], SignedRequests.Now));
        Assert.Contains("SigV4SigningHandler", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_handler_signs_requests_of_a_client_with_a_base_address()
    {
        using var capture = new CapturingHandler();
        using var handler = new SigV4SigningHandler(SignedRequests.Signer()) { InnerHandler = capture };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(SignedRequests.Endpoint) };
        using var message = SignedRequests.JsonMessage();
        message.RequestUri = new Uri("/", UriKind.Relative);
        using var response = await client.SendAsync(message);

        var request = capture.Request!;
        var authorization = SigV4Parser.Parse(request);
        Assert.Equal("127.0.0.1:4566", request.Header("Host"));
        var now = authorization.RequestTime;
        new SigV4Verifier().Verify(request, authorization, SignedRequests.Credential(), now);
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public AwsHttpRequest? Request { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            Request = SignedRequests.ToServerView(request, body);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        }
    }
}
