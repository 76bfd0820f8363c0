using BenchmarkDotNet.Attributes;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Aws.SigV4;

namespace Cairn.Bench.Micro;

/// <summary>Cost of SigV4 per request on each side: signing a GetParameter call, and parsing + verifying it.</summary>
[MemoryDiagnoser]
public class SigV4Benchmarks
{
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = """{"Name":"/app/db/password","WithDecryption":true}"""u8.ToArray();

    private readonly SigV4Signer _signer = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "ssm");
    private readonly SigV4Verifier _verifier = new();
    private readonly SigningCredential _credential = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", Principal.Root("000000000000"));
    private AwsHttpRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var message = NewMessage();
        _signer.Sign(message, Body, Now);
        var headers = message.Headers.NonValidated.Concat(message.Content!.Headers.NonValidated)
            .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)))
            .Append(new("User-Agent", "aws-cli/2.9.19 Python/3.11.2 Linux/6.1 exe/x86_64.debian.12 prompt/off command/ssm.get-parameter"))
            .Append(new("Content-Length", Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        _request = new AwsHttpRequest("POST", "/", string.Empty, headers, Body);
    }

    [Benchmark]
    public void Sign()
    {
        using var message = NewMessage();
        _signer.Sign(message, Body, Now);
    }

    [Benchmark]
    public SigV4Authorization Parse() => SigV4Parser.Parse(_request);

    [Benchmark]
    public SigV4Verification ParseAndVerify() => _verifier.Verify(_request, SigV4Parser.Parse(_request), _credential, Now);

    private static HttpRequestMessage NewMessage()
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:4566/") { Content = new ByteArrayContent(Body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonSSM.GetParameter");
        return message;
    }
}
