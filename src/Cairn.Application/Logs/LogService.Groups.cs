using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.Logs;

namespace Cairn.Application.Logs;

/// <summary>Log groups, log streams and retention: Create/DeleteLogGroup, Create/DeleteLogStream, Put/DeleteRetentionPolicy.</summary>
public sealed partial class LogService
{
    /// <summary>The retention periods CloudWatch Logs accepts (the model's Days documentation).</summary>
    public static readonly IReadOnlyList<int> RetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    public async Task CreateGroupAsync(RequestContext context, CreateLogGroupRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var group = request.Name;
        await authorizer.AuthorizeAsync(context, "logs:CreateLogGroup", ScopeOf(context).LogGroupArn(group), cancellationToken);
        if (group.StartsWith("aws/", StringComparison.Ordinal))
        {
            throw AwsErrors.ReservedLogGroupName(group);
        }

        if (request.DeletionProtection)
        {
            throw AwsErrors.DeletionProtectionNotServed();
        }

        if (request.Tags.Count > MaxTags)
        {
            throw AwsErrors.TooManyLogTags(request.Tags.Count);
        }

        var record = new LogGroupRecord(
            context.AccountId, context.Region, group, time.GetUtcNow(), null, request.LogGroupClass ?? "STANDARD", request.KmsKeyId, false, request.Tags);
        if (!await store.CreateGroupAsync(record, cancellationToken))
        {
            throw AwsErrors.LogGroupAlreadyExists(group);
        }
    }

    /// <summary>Deletes the group with its streams and events; a build's log goes too, unless the build is still writing it.</summary>
    public async Task DeleteGroupAsync(RequestContext context, string group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "logs:DeleteLogGroup", ScopeOf(context).LogGroupArn(group), cancellationToken);

        var streams = await store.DeleteGroupAsync(context.AccountId, context.Region, group, cancellationToken) ?? throw AwsErrors.LogGroupNotFound(group);
        foreach (var stream in streams)
        {
            await DeleteBuildLogAsync(stream, cancellationToken);
        }
    }

    public async Task CreateStreamAsync(RequestContext context, string group, string stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "logs:CreateLogStream", ScopeOf(context).LogGroupArn(group), cancellationToken);

        switch (await store.CreateStreamAsync(context.AccountId, context.Region, group, stream, time.GetUtcNow(), cancellationToken))
        {
            case StreamCreation.GroupNotFound:
                throw AwsErrors.LogGroupNotFound(group);
            case StreamCreation.AlreadyExists:
                throw AwsErrors.LogStreamAlreadyExists(group, stream);
        }
    }

    public async Task DeleteStreamAsync(RequestContext context, string group, string streamName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "logs:DeleteLogStream", ScopeOf(context).LogStreamArn(group, streamName), cancellationToken);

        if (await store.DeleteStreamAsync(context.AccountId, context.Region, group, streamName, cancellationToken) is not { } stream)
        {
            await GroupAsync(context, group, cancellationToken);
            throw AwsErrors.LogStreamNotFound(group, streamName);
        }

        await DeleteBuildLogAsync(stream, cancellationToken);
    }

    /// <summary>PutRetentionPolicy with <paramref name="days"/>, DeleteRetentionPolicy with null.</summary>
    public async Task SetRetentionAsync(RequestContext context, string group, int? days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, days is null ? "logs:DeleteRetentionPolicy" : "logs:PutRetentionPolicy", ScopeOf(context).LogGroupArn(group), cancellationToken);
        if (days is { } value && !RetentionDays.Contains(value))
        {
            throw AwsErrors.InvalidRetention(value, RetentionDays);
        }

        if (!await store.SetRetentionAsync(context.AccountId, context.Region, group, days, cancellationToken))
        {
            throw AwsErrors.LogGroupNotFound(group);
        }
    }

    /// <summary>A deleted build stream's log goes with it; a build still writing its log keeps it (the build log endpoint still serves it).</summary>
    private async Task DeleteBuildLogAsync(LogStreamRecord stream, CancellationToken cancellationToken)
    {
        if (stream.BuildUuid is { } uuid)
        {
            await FinishedBuildLogs.TryDeleteAsync(buildLogs, uuid, null, cancellationToken);
        }
    }
}
