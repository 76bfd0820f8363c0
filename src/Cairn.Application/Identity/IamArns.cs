using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;

namespace Cairn.Application.Identity;

/// <summary>IAM entity ARNs: <c>arn:aws:iam::account:type/path/name</c>.</summary>
public static class IamArns
{
    public static string Of(string accountId, string type, string path, string name) => $"arn:aws:iam::{accountId}:{type}{path}{name}";

    /// <summary>The user's ARN, or the one it would have at the root path when there is no such user (what authorization names).</summary>
    public static string User(RequestContext context, string userName, IamUser? user)
    {
        ArgumentNullException.ThrowIfNull(context);
        return user?.Arn ?? Of(context.AccountId, "user", "/", userName);
    }

    /// <summary>The entities whose path starts with <paramref name="pathPrefix"/> (all when null), as IAM's List operations' PathPrefix.</summary>
    public static IReadOnlyList<T> UnderPath<T>(IReadOnlyList<T> entities, string? pathPrefix, Func<T, string> path) =>
        pathPrefix is null ? entities : entities.Where(e => path(e).StartsWith(pathPrefix, StringComparison.Ordinal)).ToList();
}
