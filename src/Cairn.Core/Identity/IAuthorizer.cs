namespace Cairn.Core.Identity;

/// <summary>
/// Decides whether the request's principal may perform an action (e.g. <c>ssm:GetParameter</c>) on a resource;
/// throws AccessDeniedException with AWS's text when not.
/// </summary>
public interface IAuthorizer
{
    ValueTask AuthorizeAsync(RequestContext context, AccessRequest request, CancellationToken cancellationToken);

    ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        AuthorizeAsync(context, new AccessRequest(action, resourceArn), cancellationToken);
}
