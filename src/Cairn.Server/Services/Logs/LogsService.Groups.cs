using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.Logs;

namespace Cairn.Server.Services.Logs;

/// <summary>Log groups, log streams and retention: Create/DeleteLogGroup, Create/DeleteLogStream, Put/DeleteRetentionPolicy.</summary>
internal sealed partial class LogsService
{
    /// <summary>The retention periods CloudWatch Logs accepts (the model's Days documentation).</summary>
    public static readonly IReadOnlyList<int> RetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    private async Task<JsonObject> CreateLogGroupAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.CreateLogGroup);
        var group = input["logGroupName"]!.GetValue<string>();
        await authorizer.AuthorizeAsync(context, "logs:CreateLogGroup", ScopeOf(context).LogGroupArn(group), cancellationToken);
        if (group.StartsWith("aws/", StringComparison.Ordinal))
        {
            throw AwsErrors.ReservedLogGroupName(group);
        }

        if (input["deletionProtectionEnabled"]?.GetValue<bool>() == true)
        {
            throw AwsErrors.DeletionProtectionNotServed();
        }

        var tags = TagsOf(input["tags"]);
        if (tags.Count > MaxTags)
        {
            throw AwsErrors.TooManyLogTags(tags.Count);
        }

        var record = new LogGroupRecord(
            context.AccountId, context.Region, group, time.GetUtcNow(), null, input["logGroupClass"]?.GetValue<string>() ?? "STANDARD",
            input["kmsKeyId"]?.GetValue<string>(), false, tags);
        if (!await store.CreateGroupAsync(record, cancellationToken))
        {
            throw AwsErrors.LogGroupAlreadyExists(group);
        }

        return [];
    }

    /// <summary>Deletes the group with its streams and events; a build's log goes too, unless the build is still writing it.</summary>
    private async Task<JsonObject> DeleteLogGroupAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.GroupOnly);
        var group = input["logGroupName"]!.GetValue<string>();
        await authorizer.AuthorizeAsync(context, "logs:DeleteLogGroup", ScopeOf(context).LogGroupArn(group), cancellationToken);

        var streams = await store.DeleteGroupAsync(context.AccountId, context.Region, group, cancellationToken) ?? throw AwsErrors.LogGroupNotFound(group);
        foreach (var stream in streams)
        {
            await DeleteBuildLogAsync(stream, cancellationToken);
        }

        return [];
    }

    private async Task<JsonObject> CreateLogStreamAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.GroupAndStream);
        var group = input["logGroupName"]!.GetValue<string>();
        var stream = input["logStreamName"]!.GetValue<string>();
        await authorizer.AuthorizeAsync(context, "logs:CreateLogStream", ScopeOf(context).LogGroupArn(group), cancellationToken);

        return await store.CreateStreamAsync(context.AccountId, context.Region, group, stream, time.GetUtcNow(), cancellationToken) switch
        {
            StreamCreation.GroupNotFound => throw AwsErrors.LogGroupNotFound(group),
            StreamCreation.AlreadyExists => throw AwsErrors.LogStreamAlreadyExists(group, stream),
            _ => [],
        };
    }

    private async Task<JsonObject> DeleteLogStreamAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.GroupAndStream);
        var group = input["logGroupName"]!.GetValue<string>();
        var streamName = input["logStreamName"]!.GetValue<string>();
        await authorizer.AuthorizeAsync(context, "logs:DeleteLogStream", ScopeOf(context).LogStreamArn(group, streamName), cancellationToken);

        if (await store.DeleteStreamAsync(context.AccountId, context.Region, group, streamName, cancellationToken) is not { } stream)
        {
            await GroupAsync(context, group, cancellationToken);
            throw AwsErrors.LogStreamNotFound(group, streamName);
        }

        await DeleteBuildLogAsync(stream, cancellationToken);
        return [];
    }

    private async Task<JsonObject> PutRetentionPolicyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.PutRetentionPolicy);
        var group = input["logGroupName"]!.GetValue<string>();
        var days = Int(input, "retentionInDays")!.Value;
        await authorizer.AuthorizeAsync(context, "logs:PutRetentionPolicy", ScopeOf(context).LogGroupArn(group), cancellationToken);
        if (!RetentionDays.Contains(days))
        {
            throw AwsErrors.InvalidRetention(days, RetentionDays);
        }

        return await store.SetRetentionAsync(context.AccountId, context.Region, group, days, cancellationToken) ? [] : throw AwsErrors.LogGroupNotFound(group);
    }

    private async Task<JsonObject> DeleteRetentionPolicyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.GroupOnly);
        var group = input["logGroupName"]!.GetValue<string>();
        await authorizer.AuthorizeAsync(context, "logs:DeleteRetentionPolicy", ScopeOf(context).LogGroupArn(group), cancellationToken);

        return await store.SetRetentionAsync(context.AccountId, context.Region, group, null, cancellationToken) ? [] : throw AwsErrors.LogGroupNotFound(group);
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
