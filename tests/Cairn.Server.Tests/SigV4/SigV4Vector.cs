using System.Text.Json;
using Cairn.Core.Identity;
using Cairn.Server.Aws.SigV4;

namespace Cairn.Server.Tests.SigV4;

/// <summary>One official test case: the signed request and what a correct implementation computes for it.</summary>
internal sealed record SigV4Vector(
    string Name,
    AwsHttpRequest SignedRequest,
    SigningCredential Credential,
    DateTimeOffset Time,
    bool NormalizePath,
    string CanonicalRequest,
    string StringToSign,
    string Signature)
{
    public const string AccessKeyId = "AKIDEXAMPLE";
    public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    public static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "TestData", "sigv4");
    private static readonly string Botocore = Path.Combine(Root, "botocore-aws4_testsuite");
    private static readonly string AwsCAuth = Path.Combine(Root, "aws-c-auth-v4");

    /// <summary>botocore cases by path relative to the suite (nested ones like normalize-path/get-slash included).</summary>
    public static IEnumerable<string> BotocoreCaseNames() =>
        Directory.GetFiles(Botocore, "*.sreq", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Botocore, Path.GetDirectoryName(f)!).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    public static IEnumerable<string> AwsCAuthCaseNames() =>
        Directory.GetDirectories(AwsCAuth).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static SigV4Vector LoadBotocore(string name)
    {
        var directory = Path.Combine(Botocore, name);
        var stem = Path.Combine(directory, Path.GetFileName(name));
        var sent = RawHttpRequest.Parse(File.ReadAllText(stem + ".sreq"));
        var authorization = File.ReadAllText(stem + ".authz").Trim();

        // .authz is authoritative: upstream's get-vanilla-with-session-token.sreq carries get-vanilla's signature by mistake.
        var request = sent with
        {
            Headers = sent.Headers
                .Select(h => string.Equals(h.Key, "Authorization", StringComparison.OrdinalIgnoreCase) ? new(h.Key, authorization) : h)
                .ToList(),
        };
        // As botocore's own harness does: a request carrying a token was signed with temporary credentials holding it.
        var token = request.Header("X-Amz-Security-Token");
        return new SigV4Vector(
            "botocore/" + name,
            request,
            ExampleCredential(token),
            SuiteTime,
            NormalizePath: true,
            File.ReadAllText(stem + ".creq"),
            File.ReadAllText(stem + ".sts"),
            authorization[(authorization.LastIndexOf("Signature=", StringComparison.Ordinal) + "Signature=".Length)..]);
    }

    /// <param name="form">"header" (Authorization header) or "query" (presigned URL).</param>
    public static SigV4Vector LoadAwsCAuth(string name, string form)
    {
        var directory = Path.Combine(AwsCAuth, name);
        using var context = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "context.json")));
        var root = context.RootElement;
        var credentials = root.GetProperty("credentials");
        var token = credentials.TryGetProperty("token", out var t) ? t.GetString() : null;
        return new SigV4Vector(
            $"aws-c-auth/{name}/{form}",
            RawHttpRequest.Parse(File.ReadAllText(Path.Combine(directory, $"{form}-signed-request.txt"))),
            new SigningCredential(
                credentials.GetProperty("access_key_id").GetString()!,
                credentials.GetProperty("secret_access_key").GetString()!,
                Principal.Root("123456789012"),
                token),
            DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            root.GetProperty("normalize").GetBoolean(),
            File.ReadAllText(Path.Combine(directory, $"{form}-canonical-request.txt")),
            File.ReadAllText(Path.Combine(directory, $"{form}-string-to-sign.txt")),
            File.ReadAllText(Path.Combine(directory, $"{form}-signature.txt")).Trim());
    }

    public static SigningCredential ExampleCredential(string? token = null) =>
        new(AccessKeyId, SecretAccessKey, Principal.Root("123456789012"), token);

    public override string ToString() => Name;
}
