using Cairn.Core.Errors;
using Cairn.Core.Identity;

namespace Cairn.Server.Hosting;

/// <summary>Until IAM policies are evaluated, only the account root (which AWS always allows) may act.</summary>
internal sealed class RootOnlyAuthorizer : IAuthorizer
{
    public ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken)
    {
        if (context.Principal.IsRoot)
        {
            return ValueTask.CompletedTask;
        }

        throw AwsErrors.AccessDenied(
            $"User: {context.Principal.Arn} is not authorized to perform: {action} on resource: {resourceArn} because no identity-based policy allows the {action} action");
    }
}
