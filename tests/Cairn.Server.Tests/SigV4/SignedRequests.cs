using System.Text;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Aws.SigV4;

namespace Cairn.Server.Tests.SigV4;

/// <summary>Builds requests signed by <see cref="SigV4Signer"/> and turns them into what the server sees.</summary>
internal static class SignedRequests
{
    public const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public const string Endpoint = "http://127.0.0.1:4566/";

    public static readonly DateTimeOffset Now = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static SigningCredential Credential(string? sessionToken = null, DateTimeOffset? expiration = null) =>
        new(AccessKeyId, SecretAccessKey, Principal.Root("000000000000"), sessionToken, expiration);

    public static SigV4Signer Signer(string service = "ssm", string secret = SecretAccessKey, string? sessionToken = null) =>
        new(AccessKeyId, secret, "us-east-1", service, sessionToken);

    /// <summary>An SSM-style JSON 1.1 call.</summary>
    public static HttpRequestMessage JsonMessage(string body = """{"Name":"x"}""", string target = "AmazonSSM.GetParameter")
    {
        var message = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        return message;
    }

    /// <summary>An STS-style Query call (form body).</summary>
    public static HttpRequestMessage QueryMessage(string body = "Action=GetCallerIdentity&Version=2011-06-15")
    {
        var message = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        return message;
    }

    public static AwsHttpRequest Json(DateTimeOffset time, SigV4Signer? signer = null, string body = """{"Name":"x"}""")
    {
        using var message = JsonMessage(body);
        return Sign(message, time, signer ?? Signer());
    }

    public static AwsHttpRequest Query(DateTimeOffset time, SigV4Signer? signer = null)
    {
        using var message = QueryMessage();
        return Sign(message, time, signer ?? Signer("sts"));
    }

    public static AwsHttpRequest Sign(HttpRequestMessage message, DateTimeOffset time, SigV4Signer signer)
    {
        var body = message.Content?.ReadAsByteArrayAsync().GetAwaiter().GetResult() ?? [];
        signer.Sign(message, body, time);
        return ToServerView(message, body);
    }

    public static AwsHttpRequest ToServerView(HttpRequestMessage message, byte[] body)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in message.Headers.NonValidated)
        {
            headers.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v)));
        }

        if (message.Content is not null)
        {
            foreach (var (name, values) in message.Content.Headers.NonValidated)
            {
                headers.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v)));
            }
        }

        var uri = message.RequestUri!;
        return new AwsHttpRequest(message.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), headers, body);
    }

    public static AwsHttpRequest WithHeader(this AwsHttpRequest request, string name, string? value)
    {
        var headers = request.Headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (value is not null)
        {
            headers.Add(new(name, value));
        }

        return request with { Headers = headers };
    }
}
