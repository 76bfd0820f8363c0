using Cairn.Core.Audit;

namespace Cairn.Core.Identity;

/// <summary>Everything a service operation knows about the request besides its input.</summary>
/// <param name="Region">The region of the request's SigV4 credential scope: resources are kept per region.</param>
public sealed record RequestContext(
    Principal Principal,
    string Region,
    string RequestId,
    string? SourceIp,
    DateTimeOffset Time,
    string? AccessKeyId = null)
{
    public string AccountId => Principal.AccountId;

    /// <summary>Authorization decisions made for this request, for the audit log.</summary>
    public AuditTrail Audit { get; } = new();

    /// <summary>Warnings for the caller that do not fail the request (a warn-mode naming rule), sent as <c>X-Cairn-Warning</c> headers.</summary>
    public RequestWarnings Warnings { get; } = new();
}
