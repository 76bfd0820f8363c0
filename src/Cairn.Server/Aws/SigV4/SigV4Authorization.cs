using Cairn.Core.Errors;

namespace Cairn.Server.Aws.SigV4;

/// <summary>What a request claims about its signature, from the Authorization header or the presigned query.</summary>
/// <param name="Protocol">Decides which error codes a failure uses (JSON or Query).</param>
/// <param name="AmzDate">The request time exactly as it goes into the string to sign (yyyyMMddTHHmmssZ).</param>
/// <param name="SignedHeaders">Lower-case header names, in the order the client listed them.</param>
/// <param name="SignedHeadersText">The SignedHeaders value verbatim: the canonical request repeats it.</param>
/// <param name="ExpiresSeconds">X-Amz-Expires of a presigned request; null for the header form.</param>
/// <param name="SecurityToken">X-Amz-Security-Token (header or query), null when absent.</param>
public sealed record SigV4Authorization(
    AwsProtocol Protocol,
    bool IsPresigned,
    string AccessKeyId,
    string ScopeDate,
    string Region,
    string Service,
    string AmzDate,
    DateTimeOffset RequestTime,
    IReadOnlyList<string> SignedHeaders,
    string SignedHeadersText,
    string Signature,
    int? ExpiresSeconds,
    string? SecurityToken)
{
    public string Scope => SigV4Canonical.Scope(ScopeDate, Region, Service);
}
