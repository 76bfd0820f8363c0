using Cairn.Core.Errors;
using Cairn.Core.Identity;

namespace Cairn.Server.Tests.Kms;

/// <summary>Records every authorization and denies the actions a test names, with AWS's identity-policy text.</summary>
internal sealed class RecordingAuthorizer : IAuthorizer
{
    public List<(string Action, string Resource)> Calls { get; } = [];

    public HashSet<string> Denied { get; } = new(StringComparer.Ordinal);

    /// <summary>Actions asked with <see cref="AccessRequest.AllowedByResourcePolicy"/> set (a key policy allowed the caller directly).</summary>
    public HashSet<string> AllowedByResourcePolicy { get; } = new(StringComparer.Ordinal);

    public ValueTask AuthorizeAsync(RequestContext context, AccessRequest request, CancellationToken cancellationToken)
    {
        var (action, resourceArn) = (request.Action, request.ResourceArn);
        lock (Calls)
        {
            Calls.Add((action, resourceArn));
            if (request.AllowedByResourcePolicy)
            {
                AllowedByResourcePolicy.Add(action);
            }
        }

        if (Denied.Contains(action))
        {
            throw AwsErrors.AccessDenied(
                $"User: {context.Principal.Arn} is not authorized to perform: {action} on resource: {resourceArn} because no identity-based policy allows the {action} action");
        }

        return ValueTask.CompletedTask;
    }
}
