using Cairn.Core.Errors;
using Cairn.Core.Identity;

namespace Cairn.Server.Audit;

/// <summary>Wraps the real authorizer so every decision, allowed or denied, lands in the request's audit trail.</summary>
internal sealed class AuditingAuthorizer(IAuthorizer inner) : IAuthorizer
{
    public async ValueTask AuthorizeAsync(RequestContext context, AccessRequest request, CancellationToken cancellationToken)
    {
        var (action, resourceArn) = (request.Action, request.ResourceArn);
        try
        {
            await inner.AuthorizeAsync(context, request, cancellationToken);
        }
        catch (AwsException error) when (error.IsAccessDenied)
        {
            context.Audit.Record(action, resourceArn, allowed: false);
            throw;
        }

        context.Audit.Record(action, resourceArn, allowed: true);
    }
}
