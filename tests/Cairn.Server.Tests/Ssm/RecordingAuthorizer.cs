using Cairn.Core.Errors;
using Cairn.Core.Identity;

namespace Cairn.Server.Tests.Ssm;

/// <summary>Records every authorization asked for; denies the (action, resource) pairs a test names, with AWS's text.</summary>
internal sealed class RecordingAuthorizer : IAuthorizer
{
    public List<(string Action, string Resource)> Calls { get; } = [];

    /// <summary>Every request as asked, with its service condition keys.</summary>
    public List<AccessRequest> Requests { get; } = [];

    public HashSet<(string Action, string Resource)> Denied { get; } = [];

    public ValueTask AuthorizeAsync(RequestContext context, AccessRequest request, CancellationToken cancellationToken)
    {
        var (action, resourceArn) = (request.Action, request.ResourceArn);
        Calls.Add((action, resourceArn));
        Requests.Add(request);
        if (Denied.Contains((action, resourceArn)) || Denied.Contains((action, "*")))
        {
            throw AwsErrors.AccessDenied(
                $"User: {context.Principal.Arn} is not authorized to perform: {action} on resource: {resourceArn} because no identity-based policy allows the {action} action");
        }

        return ValueTask.CompletedTask;
    }
}
