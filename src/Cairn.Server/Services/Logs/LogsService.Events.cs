using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.Logs;

namespace Cairn.Server.Services.Logs;

/// <summary>PutLogEvents, with AWS's batch rules; the sequence token is ignored, as AWS now ignores it.</summary>
internal sealed partial class LogsService
{
    private const long MaxBatchBytes = 1_048_576;
    private const int EventOverheadBytes = 26;
    private static readonly TimeSpan MaxFuture = TimeSpan.FromHours(2);
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(14);
    private static readonly TimeSpan MaxSpan = TimeSpan.FromHours(24);

    /// <summary>
    /// Stores the batch's events as they were sent (AWS stores what the caller sends; build logs alone are masked, by the
    /// build). Events too new, too old or past the group's retention are left out and reported in rejectedLogEventsInfo.
    /// </summary>
    private async Task<JsonObject> PutLogEventsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.PutLogEvents);
        var group = input["logGroupName"]!.GetValue<string>();
        var streamName = input["logStreamName"]!.GetValue<string>();
        await authorizer.AuthorizeAsync(context, "logs:PutLogEvents", ScopeOf(context).LogStreamArn(group, streamName), cancellationToken);

        var events = input["logEvents"]!.AsArray().Select(e => new LogEventInput(
            DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(long.Parse(e!["timestamp"]!.ToJsonString(), CultureInfo.InvariantCulture), DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())),
            e["message"]!.GetValue<string>())).ToList();
        var bytes = events.Sum(e => (long)Encoding.UTF8.GetByteCount(e.Message) + EventOverheadBytes);
        if (bytes > MaxBatchBytes)
        {
            throw AwsErrors.LogBatchTooLarge(bytes);
        }

        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].Timestamp < events[i - 1].Timestamp)
            {
                throw AwsErrors.LogEventsOutOfOrder();
            }
        }

        var logGroup = await GroupAsync(context, group, cancellationToken);
        var stream = await StreamAsync(context, group, streamName, cancellationToken);
        if (stream.BuildUuid is not null)
        {
            throw AwsErrors.BuildLogStreamIsReadOnly(group, streamName);
        }

        // The batch is in time order, so the rejected ones are a run at its start (too old, expired) and one at its end (too new).
        var now = time.GetUtcNow();
        var tooOld = LastIndexBefore(events, now - MaxAge);
        var expired = logGroup.RetentionInDays is { } days ? LastIndexBefore(events, now - TimeSpan.FromDays(days)) : -1;
        var tooNew = events.FindIndex(e => e.Timestamp > now + MaxFuture);
        var first = Math.Max(tooOld, expired) + 1;
        var accepted = events.Take(tooNew < 0 ? events.Count : tooNew).Skip(first).ToList();
        if (accepted.Count > 1 && accepted[^1].Timestamp - accepted[0].Timestamp > MaxSpan)
        {
            throw AwsErrors.LogEventsSpanTooLong();
        }

        await store.PutEventsAsync(stream.Id, accepted, now, cancellationToken);

        var result = new JsonObject { ["nextSequenceToken"] = SequenceToken(now) };
        if (tooOld >= 0 || expired >= 0 || tooNew >= 0)
        {
            var rejected = new JsonObject();
            if (tooNew >= 0)
            {
                rejected["tooNewLogEventStartIndex"] = tooNew;
            }

            if (tooOld >= 0)
            {
                rejected["tooOldLogEventEndIndex"] = tooOld;
            }

            if (expired >= 0)
            {
                rejected["expiredLogEventEndIndex"] = expired;
            }

            result["rejectedLogEventsInfo"] = rejected;
        }

        return result;
    }

    /// <summary>The index of the last event before <paramref name="cutoff"/> in a batch in time order; -1 when there is none.</summary>
    private static int LastIndexBefore(List<LogEventInput> events, DateTimeOffset cutoff) => events.FindLastIndex(e => e.Timestamp < cutoff);

    /// <summary>AWS ignores sequence tokens now but still returns one; any value is accepted back.</summary>
    private static string SequenceToken(DateTimeOffset now) => now.ToUnixTimeMilliseconds().ToString("D56", CultureInfo.InvariantCulture);
}
