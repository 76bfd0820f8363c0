namespace Cairn.Core.Identity;

/// <summary>
/// Decides whether the request's principal may perform <paramref name="action"/> (e.g. <c>ssm:GetParameter</c>)
/// on <paramref name="resourceArn"/>; throws AccessDeniedException with AWS's text when not.
/// </summary>
public interface IAuthorizer
{
    ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken);
}
