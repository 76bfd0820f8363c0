using Cairn.Core.Errors;
using Cairn.Server.Aws.SigV4;

namespace Cairn.Server.Tests.SigV4;

/// <summary>Every case of both official SigV4 suites: the verifier must accept the signed request and agree on every step.</summary>
public sealed class SigV4VectorTests
{
    public static TheoryData<string> BotocoreCases => new(SigV4Vector.BotocoreCaseNames());

    public static TheoryData<string> AwsCAuthCases => new(SigV4Vector.AwsCAuthCaseNames());

    [Fact]
    public void Both_suites_are_present_in_full()
    {
        Assert.Equal(34, SigV4Vector.BotocoreCaseNames().Count());
        Assert.Equal(38, SigV4Vector.AwsCAuthCaseNames().Count());
    }

    [Theory]
    [MemberData(nameof(BotocoreCases))]
    public void Botocore_vector_verifies_with_the_suite_canonical_request_and_signature(string name) =>
        AssertVerifies(SigV4Vector.LoadBotocore(name));

    [Theory]
    [MemberData(nameof(AwsCAuthCases))]
    public void Aws_c_auth_header_vector_verifies_with_the_suite_canonical_request_and_signature(string name) =>
        AssertVerifies(SigV4Vector.LoadAwsCAuth(name, "header"));

    [Theory]
    [MemberData(nameof(AwsCAuthCases))]
    public void Aws_c_auth_presigned_query_vector_verifies_with_the_suite_canonical_request_and_signature(string name)
    {
        var vector = SigV4Vector.LoadAwsCAuth(name, "query");
        Assert.True(SigV4Parser.Parse(vector.SignedRequest).IsPresigned);
        AssertVerifies(vector);
    }

    private static void AssertVerifies(SigV4Vector vector)
    {
        var authorization = SigV4Parser.Parse(vector.SignedRequest);
        Assert.Equal(vector.Signature, authorization.Signature);

        var verifier = new SigV4Verifier(vector.NormalizePath);
        var result = verifier.Verify(vector.SignedRequest, authorization, vector.Credential, vector.Time);
        Assert.Equal(vector.CanonicalRequest, result.CanonicalRequest);
        Assert.Equal(vector.StringToSign, result.StringToSign);

        // The same request under another secret must not verify: the check above is not vacuous.
        var wrongSecret = vector.Credential with { SecretAccessKey = vector.Credential.SecretAccessKey + "x" };
        var error = Assert.ThrowsAny<AwsException>(() => verifier.Verify(vector.SignedRequest, authorization, wrongSecret, vector.Time));
        Assert.Equal(AwsErrors.SignatureMismatchText, error.Message);
    }
}
