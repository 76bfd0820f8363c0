using System.Text.Json.Nodes;
using Cairn.Application.Logs;
using Cairn.Core.Identity;

namespace Cairn.Server.Services.Logs;

/// <summary>Log groups, log streams and retention: Create/DeleteLogGroup, Create/DeleteLogStream, Put/DeleteRetentionPolicy.</summary>
internal sealed partial class LogsService
{
    private async Task<JsonObject> CreateLogGroupAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.CreateLogGroup);
        await logs.CreateGroupAsync(context, new CreateLogGroupRequest(input["logGroupName"]!.GetValue<string>())
        {
            LogGroupClass = input["logGroupClass"]?.GetValue<string>(),
            KmsKeyId = input["kmsKeyId"]?.GetValue<string>(),
            DeletionProtection = input["deletionProtectionEnabled"]?.GetValue<bool>() == true,
            Tags = TagsOf(input["tags"]),
        }, cancellationToken);
        return [];
    }

    private async Task<JsonObject> DeleteLogGroupAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.GroupOnly);
        await logs.DeleteGroupAsync(context, input["logGroupName"]!.GetValue<string>(), cancellationToken);
        return [];
    }

    private async Task<JsonObject> CreateLogStreamAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.GroupAndStream);
        await logs.CreateStreamAsync(context, input["logGroupName"]!.GetValue<string>(), input["logStreamName"]!.GetValue<string>(), cancellationToken);
        return [];
    }

    private async Task<JsonObject> DeleteLogStreamAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.GroupAndStream);
        await logs.DeleteStreamAsync(context, input["logGroupName"]!.GetValue<string>(), input["logStreamName"]!.GetValue<string>(), cancellationToken);
        return [];
    }

    private async Task<JsonObject> PutRetentionPolicyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.PutRetentionPolicy);
        await logs.SetRetentionAsync(context, input["logGroupName"]!.GetValue<string>(), Int(input, "retentionInDays")!.Value, cancellationToken);
        return [];
    }

    private async Task<JsonObject> DeleteRetentionPolicyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.GroupOnly);
        await logs.SetRetentionAsync(context, input["logGroupName"]!.GetValue<string>(), null, cancellationToken);
        return [];
    }
}
