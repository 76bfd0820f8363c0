using Cairn.Core.Errors;
using Cairn.Core.Tests.Fuzz;
using Cairn.Server.Aws;
using Cairn.Server.Aws.SigV4;
using static Cairn.Server.Tests.SigV4.SignedRequests;

namespace Cairn.Server.Tests.Fuzz;

/// <summary>
/// Mutated signatures: the SigV4 parser, verifier and scope check fail only with AWS's 4xx errors (AwsException),
/// within a second each, whatever the Authorization header, dates, token, path or presigned query hold.
/// </summary>
public sealed class SigV4ParserFuzzTests
{
    private static readonly int[] Seeds = [3, 11, 4242];

    [Fact]
    public void Mutated_signed_requests_fail_only_with_AWS_errors()
    {
        var json = Json(Now);
        var query = Query(Now);
        var presigned = Presigned();
        var corpus = new[] { json, query, presigned };
        var texts = corpus.SelectMany(r => r.Headers.Select(h => h.Value)).Append(presigned.RawQuery).ToArray();

        var tried = Mutator.Run(Seeds, 20_000, TimeSpan.FromSeconds(4), (mutator, _) =>
        {
            var request = Mutate(mutator, mutator.Pick(corpus), texts);
            Mutator.WithinTime(() =>
            {
                try
                {
                    var authorization = SigV4Parser.Parse(request);
                    new SigV4Verifier().Verify(request, authorization, Credential(), Now);
                    CredentialScope.Check(new AuthenticatedRequest(Credential(), authorization.Region, authorization.Service), "ssm", authorization.Protocol);
                }
                catch (AwsException error)
                {
                    Assert.True(error.HttpStatus is >= 400 and < 500, $"{error.Code} {error.HttpStatus}");
                }

                return true;
            }, TimeSpan.FromSeconds(2), () => string.Join(" | ", request.Headers.Select(h => $"{h.Key}: {Mutator.Show(h.Value)}")) + " ? " + request.RawQuery);
        });

        Assert.True(tried > 100, $"only {tried} inputs tried");
    }

    private static AwsHttpRequest Mutate(Mutator mutator, AwsHttpRequest request, string[] texts)
    {
        var headers = request.Headers.ToList();
        switch (mutator.Next(5))
        {
            case 0:
                return request with { RawQuery = mutator.Mutate(request.RawQuery, texts) };
            case 1:
                return request with { RawPath = mutator.Mutate(request.RawPath, texts) };
            case 2:
                var i = mutator.Next(headers.Count);
                headers[i] = new(mutator.Mutate(headers[i].Key), headers[i].Value);
                return request with { Headers = headers };
            default:
                var j = mutator.Next(headers.Count);
                headers[j] = new(headers[j].Key, mutator.Mutate(headers[j].Value, texts));
                return request with { Headers = headers };
        }
    }

    private static AwsHttpRequest Presigned()
    {
        var uri = Signer("sts", sessionToken: "token").Presign(HttpMethod.Get, new Uri(Endpoint + "?Action=GetCallerIdentity&Version=2011-06-15"), Now, TimeSpan.FromMinutes(5));
        return new AwsHttpRequest("GET", "/", uri.Query.TrimStart('?'), [new("Host", uri.Authority)], ReadOnlyMemory<byte>.Empty);
    }
}
