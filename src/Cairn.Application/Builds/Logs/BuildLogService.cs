using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;

namespace Cairn.Application.Builds.Logs;

/// <summary>
/// A build's log as the caller may read it: authorized as CloudWatch Logs' GetLogEvents on the build's log stream (the
/// action the API's log endpoint and <c>aws logs get-log-events</c> need), so whoever may read the log one way may read it
/// every way. The dashboard's live log and the server's follow endpoint open logs here.
/// </summary>
public sealed class BuildLogService(IBuildStore store, IBuildLogStore logs, IAuthorizer authorizer)
{
    /// <summary>The action reading a build's log takes, on its log stream's ARN.</summary>
    public const string ReadAction = "logs:GetLogEvents";

    /// <summary>
    /// The log of build <paramref name="id"/> ("project:uuid" or its ARN) in the caller's account: InvalidInputException
    /// for a malformed id, AccessDenied without logs:GetLogEvents, ResourceNotFoundException for a build not in the account.
    /// </summary>
    public async Task<BuildLog> OpenAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(id);
        var scope = new BuildScope(context.AccountId, context.Region);
        var (project, uuid) = BuildIds.Parse(scope, id);
        if (!Guid.TryParseExact(uuid, "D", out _))
        {
            throw AwsErrors.InvalidBuildId(id);
        }

        await authorizer.AuthorizeAsync(context, ReadAction, scope.LogStreamArn(BuildScope.LogGroupName(project), uuid), cancellationToken);
        var build = await store.GetBuildAsync(scope, uuid, cancellationToken);
        if (build is null || build.ProjectName != project)
        {
            throw AwsErrors.BuildNotFound(id);
        }

        // A project with its own logsConfig group or stream prefix: the build's stream is that one.
        if (build.LogGroupName != BuildScope.LogGroupName(project) || build.LogStreamName != uuid)
        {
            await authorizer.AuthorizeAsync(context, ReadAction, scope.LogStreamArn(build.LogGroupName, build.LogStreamName), cancellationToken);
        }

        return new BuildLog(build, logs, store);
    }
}
