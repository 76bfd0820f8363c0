using Cairn.Core.Audit;
using Cairn.Core.Identity;

namespace Cairn.Application.Audit;

/// <summary>
/// The audit trail as a caller reads it (the dashboard's audit page): the same read as `cairn audit`
/// (<see cref="IAuditLog.QueryAsync"/>), authorized as CloudTrail's event history is, with
/// <c>cloudtrail:LookupEvents</c> on <c>*</c>, and limited to the caller's account as CloudTrail's history is.
/// </summary>
public sealed class AuditService(IAuditLog log, IAuthorizer authorizer)
{
    /// <summary>The IAM action that reads the trail: CloudTrail's LookupEvents, the API of AWS's 90-day event history.</summary>
    public const string LookupAction = "cloudtrail:LookupEvents";

    public async Task<IReadOnlyList<AuditEntry>> LookupAsync(RequestContext context, AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(query);
        await authorizer.AuthorizeAsync(context, LookupAction, "*", cancellationToken);
        // The entries written before this request's own decision are what it reads: flush so a page shows what just happened.
        await log.FlushAsync(cancellationToken);
        return await log.QueryAsync(query with { AccountId = context.AccountId }, cancellationToken);
    }
}
