using System.Text;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.Logs;

namespace Cairn.Application.Logs;

/// <summary>PutLogEvents, with AWS's batch rules.</summary>
public sealed partial class LogService
{
    private const long MaxBatchBytes = 1_048_576;
    private const int EventOverheadBytes = 26;
    private static readonly TimeSpan MaxFuture = TimeSpan.FromHours(2);
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(14);
    private static readonly TimeSpan MaxSpan = TimeSpan.FromHours(24);

    /// <summary>
    /// Stores the batch's events as they were sent (AWS stores what the caller sends; build logs alone are masked, by the
    /// build). Events too new, too old or past the group's retention are left out and reported by index.
    /// </summary>
    public async Task<PutLogEventsResult> PutEventsAsync(RequestContext context, string group, string streamName, IReadOnlyList<LogEventInput> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(events);
        await authorizer.AuthorizeAsync(context, "logs:PutLogEvents", ScopeOf(context).LogStreamArn(group, streamName), cancellationToken);

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
        var tooNew = FirstIndexAfter(events, now + MaxFuture);
        var first = Math.Max(tooOld, expired) + 1;
        var accepted = events.Take(tooNew < 0 ? events.Count : tooNew).Skip(first).ToList();
        if (accepted.Count > 1 && accepted[^1].Timestamp - accepted[0].Timestamp > MaxSpan)
        {
            throw AwsErrors.LogEventsSpanTooLong();
        }

        await store.PutEventsAsync(stream.Id, accepted, now, cancellationToken);
        return new PutLogEventsResult(now, tooNew >= 0 ? tooNew : null, tooOld >= 0 ? tooOld : null, expired >= 0 ? expired : null);
    }

    /// <summary>The index of the last event before <paramref name="cutoff"/> in a batch in time order; -1 when there is none.</summary>
    private static int LastIndexBefore(IReadOnlyList<LogEventInput> events, DateTimeOffset cutoff)
    {
        for (var i = events.Count - 1; i >= 0; i--)
        {
            if (events[i].Timestamp < cutoff)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The index of the first event after <paramref name="cutoff"/>; -1 when there is none.</summary>
    private static int FirstIndexAfter(IReadOnlyList<LogEventInput> events, DateTimeOffset cutoff)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Timestamp > cutoff)
            {
                return i;
            }
        }

        return -1;
    }
}
